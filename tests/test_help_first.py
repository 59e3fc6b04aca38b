"""Help comes first: "Get help now" is the first thing in the header the keyboard reaches after the home link."""
import re

import pytest


@pytest.mark.parametrize("who", ["visitor", "member"])
def test_get_help_now_comes_first_in_the_headers_tab_order(client, signed_in, who):
    page = (client if who == "visitor" else signed_in).get("/").get_data(as_text=True)
    header = page.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    focusable = re.findall(r"<(?:a|button)\b[^>]*>", header)
    classes = [re.search(r'class="([^"]*)"', tag).group(1) if 'class="' in tag else "" for tag in focusable]
    assert classes[:2] == ["brand", "help-now"]
