"""Counts and structure answered from the catalog: how many items of a kind there are, what sits under an item,
which item a part belongs to, and a plain "there is no such item" (with the real count) for references to items
that do not exist ("Condition 14", "indicator 40", "a fifth level").

The catalog is parsed from the documents, so every count is the documents' own; each answer cites the items it
names.
"""

from __future__ import annotations

import re

from assistant.answering.citations import CitationBuilder
from assistant.answering.listing import ListRequest
from assistant.answering.structured import Composed, StructuredAnswers
from assistant.frameworks import identifiers as ident, kinds as K, resolver
from assistant.frameworks.catalog import Catalog
from assistant.frameworks.model import Item
from assistant.text.tokens import STOP, words

_COUNT_ASK = re.compile(r"\bhow many\b|\bnumber of\b|\bhow (?:big|large|long) is\b|\bcount (?:of|the)\b|"
                        r"\bhow much (?:is|are) (?:there|in)\b", re.I)
_PARENT_ASK = re.compile(r"\b(?:which|what)\s+(?P<noun>[a-z ]{3,30}?)\s+(?:is|are|does|do|did)\b[^?]*\b(?:in|under|part "
                         r"of|belongs?|falls?|fits?|sits?|go(?:es)?|grouped|comes?)\b|\b(?:in|under|within) (?:which|"
                         r"what) (?P<noun2>[a-z ]{3,30}?)\b(?: is| are| does| do|\?|$)", re.I)
# "Which of <a set> does/is/fits …": one member asked for, not the list; "which LEAD CT system covers …" asks the
# same without "of" when a verb says what the member must be about.
_WHICH_OF = re.compile(r"\bwhich (?:one |ones )?of\s+(?:the |its |their |our |[\w-]+(?: [\w-]+)?'s )?(?:\w+ )?"
                       r"(?P<noun>[a-z][a-z -]{2,40}?)\s+(?:does|do|would|will|is|are|best|fits?|matches?|hits?|"
                       r"touch(?:es)?|applies|covers?|should|relates?)\b|\bwhich\s+(?P<noun2>[a-z][a-z -]{2,40}?)\s+"
                       r"(?:best\s+)?(?:covers|addresses|deals with|is about|focuses on|talks about|handles|speaks to|"
                       r"matches|fits|relates to|applies to|is (?:the )?(?:one )?(?:for|on))\b", re.I)
# "What else is in the same lever as …", "what other conditions are grouped with it", "siblings of Condition 7".
_SIBLING_ASK = re.compile(r"\b(?:what|which)\s+(?:else|other\b[^?]{0,30}?)\s*(?:is|are|sits?|falls?|goes|belongs?|comes?|"
                          r"lives?)?\s*(?:in|under|within|grouped|together|alongside|along|beside|next to|with)\b"
                          r"[^?]{0,40}?\b(?:same|it|that|this|them|those)\b|\bsiblings?\b|\b(?:the )?same "
                          r"(?P<noun>[a-z]{3,20}) as\b|\bwhat else is (?:in|under|grouped)\b", re.I)
_ASKS_REASON = re.compile(r"\W*(?:\w+\W+){0,3}?(?:why|how come|what is the (?:reason|rationale))\b", re.I)
# "What comes after Step 1?", "the step before Condition 4": the neighbour of a named item in its parent's order.
_NEXT_ASK = re.compile(r"\b(?:comes?|happens?|goes|is|are)\s+(?:right\s+)?(?P<dir>after|next|before|first|"
                       r"previous)\b|\b(?P<dir2>next|previous|following|preceding|prior)\s+(?:step|one|stage|phase|"
                       r"condition|practice|lever|system|principle|requirement|strategy|area)\b|\bwhat(?:'s| is)\s+"
                       r"(?P<dir3>next)\b|\b(?:one|step|stage|phase|condition|practice|lever|system|principle|requirement|"
                       r"strategy|area)\s+(?:right\s+|just\s+|that comes\s+)?(?P<dir4>before|after)\b", re.I)
# A count of something the question does not name as a kind ("how many things would we rate …").
_VAGUE_COUNT = re.compile(r"\W*(?:\w+\s+){0,2}?(?:things|items|pieces|parts|bits|categories|rows|boxes|elements? in "
                          r"total|in total|total|overall|all together|altogether)\b", re.I)
# Containers a list or count can be restricted to ("practices under Cultivating Collaborative Cultures").
_SCOPE_KINDS = {"lever", "area", "step", "function", "component", "practice", "strategy", "condition", "system"}


def asks_order(text: str) -> bool:
    """Whether the text asks for the item after or before another ("what comes next?", "the step before …")."""
    return bool(_NEXT_ASK.search(text))


class StructureAnswers:
    """Answers about the shape of the frameworks, built from the catalog and cited through `StructuredAnswers`."""

    def __init__(self, catalog: Catalog, structured: StructuredAnswers, search=None):
        """`search(query, k, framework)`: the retriever, to pick the members a "which of …" question means."""
        self.catalog = catalog
        self.structured = structured
        self.search = search

    def answer(self, question: str, cites: CitationBuilder, frameworks: list[str]) -> Composed | None:
        """A structure answer when the question asks about structure or names a non-existent item, else None."""
        return (self.missing_item(question, cites, frameworks) or self.missing_level(question, cites)
                or self.count(question, cites, frameworks) or self.level_list(question, cites)
                or self.siblings(question, cites) or self.parent(question, cites) or self.neighbour(question, cites)
                or self.which_of(question, cites, frameworks))

    def neighbour(self, question: str, cites: CitationBuilder) -> Composed | None:
        """'What comes after Step 1?': the item after (or before) the named one among its parent's children."""
        m = _NEXT_ASK.search(question)
        if not m:
            return None
        after = next(g for g in m.group("dir", "dir2", "dir3", "dir4") if g).lower() not in ("before", "previous",
                                                                                        "preceding", "prior")
        named = self._named(question)
        if not named:
            return None
        item = named[0]
        # Kinds numbered across the framework (UVA-PLE's conditions run 1-13 across levers) follow that order.
        numbered_within = item.kind in self.catalog.descriptor(item.framework).parent_numbered_kinds
        siblings = [i for i in self.catalog.children(item.parent) if i.kind == item.kind] if numbered_within else \
            [i for i in self.catalog.of_kind(item.kind) if i.framework == item.framework]
        if item not in siblings:
            return None
        k = siblings.index(item) + (1 if after else -1)
        if not 0 <= k < len(siblings):
            where = "last" if after else "first"
            mark, _ = self.structured.cite_item(cites, item)
            return Composed(f"**{item.label}** is the {where} of its {len(siblings)} "
                            f"{K.plural(item.kind, len(siblings))} ({item.framework}). {mark}".rstrip(), "lookup", [item])
        other = siblings[k]
        mark, sentence = self.structured.cite_item(cites, other)
        word = "After" if after else "Before"
        return Composed(f"{word} **{item.label}** comes **{other.label}** ({other.framework}): {sentence} {mark}"
                        .rstrip(), "lookup", [other])

    def which_of(self, question: str, cites: CitationBuilder, frameworks: list[str]) -> Composed | None:
        """'Which of LEAD CT's seven systems does a bet on principal evaluation touch?': the member(s) of the set
        that the rest of the question is about, found by searching for it among the members' passages."""
        m = _WHICH_OF.search(question)
        if not m or self.search is None:
            return None
        noun = "noun" if m.group("noun") else "noun2"
        named = K.kind_mentions(m.group(noun))
        pool = self._pool(named[0].kinds, frameworks) if named else []
        if not pool:
            return None
        rest = (question[:m.start()] + " " + question[m.end(noun):]).strip()
        # A member is as close as all its passages together (reciprocal ranks summed), so a broad member is not
        # picked for one passing heading that happens to rank first.
        score: dict[str, float] = {}
        for rank, p in enumerate(self.search(rest, 30, pool[0].framework)):
            owner = _owner(pool, p.chunk)
            if owner is not None:
                score[owner.id] = score.get(owner.id, 0.0) + 1.0 / (rank + 3)
        if not score:
            return None
        ranked = sorted(pool, key=lambda i: -score.get(i.id, 0.0))
        found = [i for i in ranked[:2] if score.get(i.id)]
        lines = [f"**{found[0].label}** ({found[0].framework}) is the closest of its {len(pool)} "
                 f"{K.plural(pool[0].kind, len(pool))}:"]
        for item in found:
            mark, sentence = self.structured.cite_item(cites, item)
            lines.append(f"- **{item.label}** — {sentence} {mark}".rstrip())
        return Composed("\n".join(lines), "lookup", found)

    def level_list(self, question: str, cites: CitationBuilder) -> Composed | None:
        """'What are the progress levels of the rubric?': the levels, named and cited."""
        if re.search(r"\b(?:what|which|list|name)\b[^?]{0,30}\b(?:progress |rubric |three |3 )?levels\b", question, re.I) \
                and not ident.parse(question).indicators:
            return self.levels(question, cites)
        return None

    # ---- items that do not exist ---------------------------------------------------------------------------
    def missing_item(self, question: str, cites: CitationBuilder, frameworks: list[str]) -> Composed | None:
        """'Condition 15', 'the eighth system': the item does not exist; say so with the real count and range."""
        for ref in K.numbered_mentions(question):
            pool = self._pool(ref.kinds, frameworks)
            if not pool or any(_same_number(i.number, ref.number) for i in pool):
                continue
            if any(self._names_child(i, ref) for i in self.catalog if i.framework == pool[0].framework):
                continue  # "practice 5a" names indicator 5a of practice 5: people call a part by its whole's noun
            numbered = [i for i in pool if i.number]
            if numbered:
                missing = True
            else:  # unnumbered items: a position past the end does not exist
                missing = ref.number.isdigit() and int(ref.number) > len(pool)
            if not missing:
                continue
            return self._no_such(ref, pool, cites)
        return None

    def _no_such(self, ref: K.NumberedMention, pool: list[Item], cites: CitationBuilder) -> Composed:
        fw, kind = pool[0].framework, pool[0].kind
        n = len(pool)
        word = K.plural(kind, 1)
        first, last = pool[0], pool[-1]
        span = f"{_label(first)} to {_label(last)}" if first.number and last.number else ""
        mark_first, _ = self.structured.cite_item(cites, first)
        mark_last, _ = self.structured.cite_item(cites, last, *self._heading(last))
        lines = [f"**{fw} has no {word} {ref.number}.** It names {n} {K.plural(kind, n)}"
                 + (f", {span}" if span else "") + f". {mark_first}".rstrip()]
        lines.append(f"The last one is **{last.label.rstrip('.')}**. {mark_last}".rstrip())
        return Composed("\n".join(lines), "structure", pool)

    def _heading(self, item: Item) -> tuple[int | None, int | None]:
        """The span of the item's first line (where its number and title are written), or (None, None)."""
        raw = self.structured._raw(item)
        if not raw:
            return None, None
        cut = raw.find("\n", item.start, item.end)
        end = cut if cut > item.start else item.end
        return (item.start, end) if raw[item.start:end].strip() else (None, None)

    def missing_level(self, question: str, cites: CitationBuilder) -> Composed | None:
        """'The fourth level', 'level 5', 'Mastery': the rubric has three levels; say so, cited."""
        position = K.ordinal_level(question)
        unknown = ident.unknown_level(question)
        if not ((position and position > len(self.catalog.levels())) or
                (unknown and not ident.parse(question).indicators)):
            return None
        levels, leveled = self._leveled()
        if not leveled:
            return None
        mark = self.structured.cite_level_header(cites, leveled[0])
        asked = f"a level {position}" if position else f"a “{unknown}” level"
        text = (f"**The {leveled[0].framework} has {len(levels)} levels, not more:** "
                f"{', '.join(levels[:-1])} and {levels[-1]} {mark} — there is no {asked}.")
        return Composed(text.replace("  ", " "), "structure", [])

    # ---- counts ---------------------------------------------------------------------------------------------
    def count(self, question: str, cites: CitationBuilder, frameworks: list[str]) -> Composed | None:
        """'How many indicators …', 'how many conditions under lever 2': the number, then the complete list."""
        if not _COUNT_ASK.search(question):
            return None
        counted = _COUNT_ASK.search(question)
        # The counted noun follows the question words closely ("how many separate indicator rows"); a kind noun
        # further on ("how many years … on one practice") is not what is counted.
        window = ident.without_frameworks(question[counted.end():counted.end() + 40])
        level = K.LEVEL_NOUN.search(window)
        # …and nearly first: "how many bets should a theory of action have" counts bets, not actions.
        mentions = [m for m in K.kind_mentions(window) if (not level or m.start < level.start())
                    and len([w for w in words(window[:m.start]) if w not in STOP]) <= 1]
        if not mentions and _VAGUE_COUNT.match(window):
            held = self._held(question, frameworks, cites)  # "how many things sit under lever 2?": its members
            if held is not None or len(frameworks) != 1:
                return held
            return self.overview(frameworks[0], cites)
        if level and not mentions:
            return self.levels(question, cites)
        scope = self._scope(question, frameworks)
        for mention in mentions:
            for kind in mention.kinds:
                members = self._members(kind, scope, frameworks)
                if not members:
                    continue
                composed = self.structured.listing(ListRequest(members[0].framework, kind, mention.noun, scope,
                                                               members), cites)
                head = (f"**{members[0].framework} has {len(members)} {K.plural(kind, len(members))}"
                        f"{' under ' + scope.label if scope is not None else ''}.**")
                return Composed(head + "\n" + composed.text, "count", members)
        # "how many pieces are under step 3": the kind noun names the container, not what is counted
        return self._held(question, frameworks, cites) if _VAGUE_COUNT.match(window) else None

    def _held(self, question: str, frameworks: list[str], cites: CitationBuilder) -> Composed | None:
        """The members of the container a vague count names ("how many items are under lever 2"), counted and
        listed; None when it names none."""
        scope = self._scope(question, frameworks)
        kids = self.catalog.children(scope.id) if scope is not None else []
        kids = [k for k in kids if k.kind == kids[0].kind] if kids else []  # the members, not a story beside them
        if not kids:
            return None
        kind = kids[0].kind
        composed = self.structured.listing(ListRequest(scope.framework, kind, "items", scope, kids), cites)
        head = f"**{scope.label} holds {len(kids)} {K.plural(kind, len(kids))}.**"
        return Composed(head + "\n" + composed.text, "count", kids)

    def overview(self, framework: str, cites: CitationBuilder) -> Composed | None:
        """'How many things would we rate in the rubric?': what the framework is built from, kind by kind, counted
        (kinds a district acts on and the numbered groups that hold them; stories and prose left out)."""
        items = [i for i in self.catalog if i.framework == framework]
        acting = {i.kind for i in items if self.catalog.is_actionable(i)}
        holding = {i.kind for i in items if i.number and any(c.kind in acting for c in self.catalog.children(i.id))}
        kinds = list(dict.fromkeys(i.kind for i in items if i.kind in acting | holding))
        if not kinds:
            return None
        firsts = [next(i for i in items if i.kind == k) for k in kinds]
        parts = [f"{sum(i.kind == k for i in items)} {K.plural(k, sum(i.kind == k for i in items))} "
                 f"{self.structured.cite_item(cites, first)[0]}".rstrip() for k, first in zip(kinds, firsts)]
        levels, leveled = self._leveled()
        rated_kind = self.catalog.descriptor(framework).indicator_kind
        rated = f" Each {K.plural(rated_kind, 1)} is described at {len(levels)} levels ({', '.join(levels)})." \
            if rated_kind and leveled and leveled[0].framework == framework and levels else ""
        text = f"**{framework} is built from {', '.join(parts[:-1])} and {parts[-1]}.**{rated}" if len(parts) > 1 \
            else f"**{framework} is built from {parts[0]}.**{rated}"
        return Composed(text, "count", firsts)

    def levels(self, question: str, cites: CitationBuilder) -> Composed | None:
        """How many levels the leveled rubric has and what they are called."""
        levels, leveled = self._leveled()
        if not leveled:
            return None
        mark = self.structured.cite_level_header(cites, leveled[0])
        text = (f"**The {leveled[0].framework} has {len(levels)} levels:** "
                f"{', '.join(levels[:-1])} and {levels[-1]} {mark}.")
        return Composed(text.replace("  ", " "), "count", [])

    # ---- structure ------------------------------------------------------------------------------------------
    def parent(self, question: str, cites: CitationBuilder) -> Composed | None:
        """'Which lever is Condition 7 part of?': the ancestor of the asked kind for each item the question names."""
        m = _PARENT_ASK.search(question)
        if not m:
            return None
        asked = K.kind_mentions(m.group("noun") or m.group("noun2") or "")
        if not asked:
            return None
        kinds = set(asked[0].kinds)
        items = [i for i in self._named(question) if i.kind not in kinds][:3]
        lines, found = [], []
        for item in items:
            anc = next((a for a in reversed(self.catalog.ancestors(item.id)) if a.kind in kinds), None)
            if anc is None:
                continue
            mark, _ = self.structured.cite_item(cites, anc)
            item_mark, _ = self.structured.cite_item(cites, item)
            marks = " ".join(dict.fromkeys(m for m in (mark, item_mark) if m))
            lines.append(f"**{item.label}** sits under **{anc.label}** ({item.framework}). {marks}".rstrip())
            found.append(anc)
        return Composed("\n".join(lines), "lookup", found) if lines else None

    def siblings(self, question: str, cites: CitationBuilder) -> Composed | None:
        """'What else is in the same lever as Condition 10?': the item's container and the other items of its kind
        there, each cited."""
        m = _SIBLING_ASK.search(question)
        # "Why is X on the same layer as Y?" asks for a reason, which the documents' sentences give, not the list.
        named = self._named(question) if m and not _ASKS_REASON.match(question) else []
        if not named:
            return None
        item = named[0]
        parent = self.catalog.parent(item.id)
        if parent is None:
            return None
        others = [i for i in self.catalog.children(parent.id) if i.kind == item.kind and i not in named]
        if not others:
            return None
        mark, _ = self.structured.cite_item(cites, parent)
        who = " and ".join(f"**{i.label}**" for i in named if i.parent == parent.id)
        verb = "sits" if who.count("**") == 2 else "sit"
        lines = [f"{who} {verb} under **{parent.label}** {mark} ({item.framework}), with {len(others)} other "
                 f"{K.plural(item.kind, len(others))}:".replace("  ", " ")]
        for other in others:
            other_mark, sentence = self.structured.cite_item(cites, other)
            lines.append(f"- **{other.label}** — {sentence} {other_mark}".rstrip())
        return Composed("\n".join(lines), "structure", [parent, *others])

    # ---- helpers --------------------------------------------------------------------------------------------
    def _named(self, question: str) -> list[Item]:
        """The items a question names by number or title, else those it describes ("the curriculum condition")."""
        return resolver.mentioned(self.catalog, ident.without_frameworks(question)) or \
            resolver.described(self.catalog, question)

    def _pool(self, kinds: tuple[str, ...], frameworks: list[str]) -> list[Item]:
        """Items of the first of `kinds` that exists (in the named frameworks when any are named); kinds numbered
        within their parent ("practice 2" of one component) have no framework-wide numbers to check against."""
        for kind in kinds:
            pool = [i for i in self.catalog.of_kind(kind)
                    if kind not in self.catalog.descriptor(i.framework).parent_numbered_kinds]
            if frameworks:
                pool = [i for i in pool if i.framework in frameworks]
            if pool and len({i.framework for i in pool}) == 1:
                return pool
        return []

    def _names_child(self, item: Item, ref: K.NumberedMention) -> bool:
        """Whether `item` is what "<kind> <number>" means when no item of that kind has the number: its number
        extends its parent's ("5a" under practice 5) and the parent is of the kind named."""
        if not _same_number(item.number, ref.number) or not item.parent:
            return False
        parent = self.catalog.get(item.parent)
        return parent is not None and parent.kind in ref.kinds and bool(parent.number) \
            and ref.number.lower().startswith(parent.number.lower()) and ref.number.lower() != parent.number.lower()

    def _leveled(self) -> tuple[tuple[str, ...], list[Item]]:
        """The leveled rubric's level names and the items described at every level."""
        levels = self.catalog.levels()
        for fw in self.catalog.frameworks():
            d = self.catalog.descriptor(fw)
            if d.leveled and d.indicator_kind:
                return levels, self.catalog.of_kind(d.indicator_kind, fw)
        return levels, []

    def _scope(self, question: str, frameworks: list[str]) -> Item | None:
        """The container a count is restricted to ("under lever 2"); framework names are not containers."""
        for item in resolver.mentioned(self.catalog, ident.without_frameworks(question), _SCOPE_KINDS):
            if self.catalog.children(item.id) and (not frameworks or item.framework in frameworks):
                return item
        return None

    def _members(self, kind: str, scope: Item | None, frameworks: list[str]) -> list[Item]:
        pool = [i for i in self.catalog.descendants(scope.id) if i.kind == kind] if scope is not None \
            else self.catalog.of_kind(kind)
        if frameworks and scope is None:
            pool = [i for i in pool if i.framework in frameworks]
        return pool if len({i.framework for i in pool}) == 1 else []


def _same_number(a: str, b: str) -> bool:
    return a.lower() == b.lower()


def _label(item: Item) -> str:
    return K.plural(item.kind, 1).split()[-1].capitalize() + f" {item.number}" if item.number else item.title


def _owner(pool: list[Item], chunk) -> Item | None:
    """The member of `pool` a passage belongs to: the one its section path names, else the one whose span holds it
    (an item's span can end at its heading while its section runs on)."""
    parts = [part.strip() for part in chunk.section.split("›")]
    named = next((i for i in pool if i.label in parts), None)
    return named or next((i for i in pool if i.source == chunk.source and i.start <= chunk.start < i.end), None)
