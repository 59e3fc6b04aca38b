"""Whose voice a post is in: how much of it the writer says about themselves.

A post can be full of the words of danger and still be about someone else: a reply that begs a member to
stay ("you are not a burden, please call the line tonight"), a worried sibling, a news story.  The model
weighs words one by one and scores such posts nearly as high as the writer's own despair (on C-SSRS's
clinician-guided labels, replies supporting someone in crisis made most of the model's lone false
alarms).  The lexicon's context rules see "my brother wants to die" for what it is; the model cannot.

So the model alone raises the moderators' alarm only when the writer's own pronouns (I, me, my…) are at
least a share of the post's personal pronouns (the operating point ``alarm_first_person``, chosen on
validation data by ``bench/train_crisis.py``).  Such a post still gets its help card, and the lexicon's
own crisis is not gated: a first-person phrase it found is first person whatever else the post says.
We, us and our are left out of both sides: a community's voice, not a self or an other.  A reply with no
personal pronoun at all is an imperative to the person it answers ("please stay, call the line tonight"):
not the writer's own voice, though the same words as a post are.

Voice also decides how a short post is read.  Under 20 words the model's score rests on a word or two,
and short replies of support ("Thinking of you", "I'm here if you need to talk") score like distress, so
the model alone asks a short text for a higher score before it shows a help card; but a short *post* that
speaks only of its writer ("I can't do this anymore") is someone reaching out, and needs no more than a
long one.
"""
from __future__ import annotations

from .model import words

__all__ = ["first_person_share", "pronoun_counts", "speaks_only_of_self"]

#: Apostrophes are dropped before words are compared ("I'm" is "im"), as the model reads them.
WRITER = frozenset(w.encode() for w in ("i", "me", "my", "mine", "myself", "im", "ive", "id", "ill"))
OTHERS = frozenset(w.encode() for w in (
    "you", "your", "yours", "yourself", "youre", "youve", "youll", "youd", "u", "ur",
    "he", "him", "his", "himself", "hes", "she", "her", "hers", "herself", "shes",
    "they", "them", "their", "theirs", "themselves", "theyre"))


def pronoun_counts(text: str) -> tuple[int, int]:
    """How many of the writer's own pronouns and how many of others' ``text`` holds."""
    own = others = 0
    for word in words(text):
        if word in WRITER:
            own += 1
        elif word in OTHERS:
            others += 1
    return own, others


def first_person_share(text: str, reply: bool = False) -> float:
    """The writer's own share of the personal pronouns in ``text``, from 0 to 1.  With none at all, a post
    is the writer's own (1: "want to die tonight" is nobody else's) and a reply is spoken to the person
    it answers (0: "please don't give up, the line is open all night" is an imperative to them)."""
    own, others = pronoun_counts(text)
    if own + others:
        return own / (own + others)
    return 0.0 if reply else 1.0


def speaks_only_of_self(text: str) -> bool:
    """Does ``text`` speak of the writer and of nobody else ("I can't do this anymore")?"""
    own, others = pronoun_counts(text)
    return own > 0 and not others
