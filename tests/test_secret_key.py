"""Production refuses a SECRET_KEY someone could guess: anyone holding it can sign in as any member."""
import pytest

from config import DEV_SECRET_KEY
from forum import create_app

HOW_TO = "python -c 'import secrets; print(secrets.token_hex(32))'"


def start_production(key):
    return create_app({"FLASK_CONFIG": "production", "SECRET_KEY": key, "SQLALCHEMY_DATABASE_URI": "sqlite://"})


@pytest.mark.parametrize("key", ["a", "changeme", "secret", "dev", "x" * 31, "ChangeMe", DEV_SECRET_KEY,
                                 "kindred-test-secret-key", "", None])
def test_production_refuses_a_weak_secret_key_and_says_how_to_make_one(key):
    with pytest.raises(RuntimeError, match="SECRET_KEY") as refusal:
        start_production(key)
    assert HOW_TO in str(refusal.value)


@pytest.mark.parametrize("key", ["changeme", "Secret", "dev", DEV_SECRET_KEY])
def test_known_defaults_are_named_as_such(key):
    with pytest.raises(RuntimeError, match="SECRET_KEY is a published default"):
        start_production(key)


# Made once with the command above; any long random value will do.
@pytest.mark.parametrize("key", ["9f2c4e7a1b3d5f60718293a4b5c6d7e8f9a0b1c2d3e4f5061728394a5b6c7d8e",
                                 "Jq3vX0_mT7-wK2pL9sN4bR6yH1cF8dGz", "k" * 32])
def test_production_starts_with_a_key_of_32_characters_or_more(key):
    assert start_production(key).config["SECRET_KEY"] == key


@pytest.mark.parametrize("config_name", ["development", "testing"])
def test_other_configs_keep_their_own_keys(config_name):
    create_app({"FLASK_CONFIG": config_name, "SECRET_KEY": "dev", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
