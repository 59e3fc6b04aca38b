"""Match a lexicon's phrases fast: phrase families compiled group by group.

One regex of all phrases, run over the whole normalised text, would be simple
and slow.  Everything here is for speed, and the results are exactly that
regex's (tests/crisis/test_crisis_matcher.py checks):

* Groups.  Phrases with the same anchors (see anchors.py) form a *group*,
  compiled into its own small prefix-tree regex.  A :class:`PhraseFamily`
  holds the groups of one kind of rule (triggers, means or idioms).
* Which groups to run, and in which sentences, comes from the anchor scanner
  (scanner.py): only those are matched, on the normalised text.
* At a word start where two groups match, the regex of the whole family
  (:attr:`PhraseFamily.whole`) decides, so the phrase reported is the one a
  single regex would report.  A sentence with many groups to run is read with
  that regex alone.
* Nothing is compiled when a family is made (importing stays cheap);
  ``compile_all`` compiles everything, and whatever it has not is compiled on
  first use.
"""

from __future__ import annotations

import re

from .anchors import anchor_terms
from .patterns import BOUNDARY, build, dfs_order, lead, parse_pattern

__all__ = ["PhraseFamily", "WHOLE_FAMILY_FROM"]

#: A sentence with this many groups to run is read in one pass of the whole
#: family's regex, which costs less than a pass per group.  (Tests set it to 1
#: or to a huge number to prove both ways give the same phrases.)
WHOLE_FAMILY_FROM = 6


class PhraseFamily:
    """The phrases of a set of rules, compiled group by group (see the module doc)."""

    def __init__(self, entries: list[tuple[int, str, str]], slots: dict[str, str]) -> None:
        sequences: list[list[str]] = []
        leaves: list[tuple[int, bool, bool]] = []
        seq_terms: list[frozenset] = []
        for rule_index, rule_id, pattern in entries:
            starts = pattern.lstrip().startswith("^")
            ends = pattern.rstrip().endswith("$")
            body = pattern.strip().lstrip("^").rstrip("$")
            if any(ch in body for ch in ".!;"):
                raise ValueError(f"sentence punctuation in {rule_id}: {pattern!r}")
            for alt in parse_pattern(body, slots):
                terms = anchor_terms(alt)
                if terms is None:
                    raise ValueError(f"no anchor word in {rule_id}: {pattern!r}")
                for elements in lead(alt):
                    sequences.append(elements + ["(?![a-z])"])
                    leaves.append((rule_index, starts, ends))
                    seq_terms.append(terms)
        # The order in which one merged regex of all these sequences would try
        # them; a sequence equal to an earlier one could never be reported.
        self.rank = dfs_order(sequences)
        self.leaves = leaves
        self._sequences = sequences
        group_of: dict[frozenset, int] = {}
        self._members: list[list[int]] = []
        for index, terms in enumerate(seq_terms):
            if self.rank[index] < 0:
                continue
            if terms not in group_of:
                group_of[terms] = len(self._members)
                self._members.append([])
            self._members[group_of[terms]].append(index)
        #: term -> the groups anchored on it
        self.groups_of_term: dict[tuple, set[int]] = {}
        for terms, gid in group_of.items():
            for term in terms:
                self.groups_of_term.setdefault(term, set()).add(gid)
        self._gid_of = [-1] * len(sequences)
        for gid, members in enumerate(self._members):
            for index in members:
                self._gid_of[index] = gid
        self._groups: list[tuple | None] = [None] * len(self._members)
        self._whole: tuple | None = None

    def _compile(self, members: list[int]) -> tuple:
        """(regex, info) for some sequences: info[i] is (rule_index, starts, ends)
        of the sequence whose leaf is capturing group i."""
        members = sorted(members, key=self.rank.__getitem__)
        trie = build([self._sequences[i] for i in members], [f"t{i}" for i in members])
        # Text is scanned with a leading space added, so every word start
        # follows a boundary character; consuming that character (instead of
        # a look-behind) lets the engine skip ahead with a fast set test.
        regex = re.compile(BOUNDARY + "(?=" + trie + ")")
        info: list = [None] * (regex.groups + 1)
        for name, number in regex.groupindex.items():
            info[number] = self.leaves[int(name[1:])]
        return regex, info

    def group(self, gid: int) -> tuple:
        """(regex, info) of one group."""
        group = self._groups[gid]
        if group is None:
            group = self._groups[gid] = self._compile(self._members[gid])
        return group

    @property
    def whole(self) -> tuple:
        """(regex, info, group id of each capturing group): all the family's phrases in one regex.

        Where groups tie at a word start it decides as the regex of the tied
        groups would: its branches are theirs, in the same order, and the
        other groups' branches fail there (their anchors are not in the sentence).
        """
        if self._whole is None:
            regex, info = self._compile([i for members in self._members for i in members])
            gid_of = [-1] * len(info)
            for name, number in regex.groupindex.items():
                gid_of[number] = self._gid_of[int(name[1:])]
            self._whole = (regex, info, gid_of)
        return self._whole

    def compile_all(self) -> None:
        """Compile every group and the whole family now (see :func:`.detector.warm_up`)."""
        for gid in range(len(self._members)):
            self.group(gid)
        self.whole  # noqa: B018 (compiles)

    def _decide(self, text: str, start: int, right: int, gids) -> tuple | None:
        """(leaf, end) of the phrase at a word start where several of ``gids`` may match, or None."""
        regex, info, gid_of = self.whole
        m = regex.match(text, start - 1, right)
        if m is None or gid_of[m.lastindex] not in gids:
            # A group outside ``gids`` wins, which the anchors rule out; should
            # it happen, the groups of ``gids`` that match here decide.
            members = [i for g in gids if self.group(g)[0].match(text, start - 1, right) for i in self._members[g]]
            if not members:
                return None
            regex, info = self._compile(members)
            m = regex.match(text, start - 1, right)
        return info[m.lastindex], m.end(m.lastindex)

    def find(self, text: str, windows) -> list:
        """(rule_index, start, end, starts_sentence, ends_sentence) of each phrase.

        ``windows`` are (left, right, group ids) to read: a sentence of
        ``text`` from the punctuation before it (or 0) and the groups anchored
        in it.  At most one phrase per word start, the one a single regex of
        all the family's phrases would report: where groups both match at a
        start, that regex (:attr:`whole`) decides.  Phrases may overlap.  In
        text order.
        """
        hits: dict[int, tuple] = {}  # start -> (leaf, end, group id); sentences do not overlap
        compiled = self._groups
        for left, right, gids in windows:
            if len(gids) >= WHOLE_FAMILY_FROM:
                regex, info, gid_of = self.whole
                for m in regex.finditer(text, left, right):
                    number = m.lastindex
                    if gid_of[number] in gids:
                        hits[m.end()] = (info[number], m.end(number), None)
                    elif (decided := self._decide(text, m.end(), right, gids)) is not None:
                        hits[m.end()] = (*decided, None)
                continue
            ties: dict[int, set] = {}
            for gid in gids:
                regex, info = compiled[gid] or self.group(gid)
                for m in regex.finditer(text, left, right):
                    start = m.end()
                    if start in hits:
                        ties.setdefault(start, {hits[start][2]}).add(gid)
                    else:
                        hits[start] = (info[m.lastindex], m.end(m.lastindex), gid)
            for start, tied in ties.items():
                hits[start] = (*self._decide(text, start, right, tied), None)
        return [(leaf[0], start, end, leaf[1], leaf[2]) for start, (leaf, end, _) in sorted(hits.items())]
