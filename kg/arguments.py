"""Who does what to whom: a verb's subjects, objects, voice, negation and modality.

Shared by the extractors in kg/relations.py and kg/claims.py. Small-model parse slips are mended
here, where arguments are found (object control, participles misread on a name, conjuncts hung
on the wrong noun), so every extractor benefits.
"""
from __future__ import annotations

import re
from typing import Iterator

from spacy.tokens import Span, Token

from . import resources
from .entities import Resolver, shared_object
from .phrases import VALUE_CLASSES, antecedent, conjuncts, coordination, phrase
from .records import Entity, Value
from .vocab import labels

SUBJ_DEPS = {"nsubj", "nsubjpass", "csubj"}
OBJ_DEPS = {"dobj", "obj", "dative"}
# Dependents that hand their subject down: "continues to intensify", "and participates in".
INHERIT_DEPS = {"conj", "xcomp", "dep"}
# Clause links a verb's modality flows down ("hoped that X will work with us to make …").
CLAUSE_DEPS = {"conj", "xcomp", "advcl", "acl", "ccomp", "relcl"}
SUBORDINATORS = {"when", "if", "once", "unless", "until", "while", "though", "although", "where"}
RELATIVE = {"which", "that", "who", "whom"}
# Prepositions whose gerund shares the clause's subject: "by setting up", "including investigating".
INSTRUMENT_PREPS = {"by", "including", "through", "via", "of", "after", "while", "besides", "in"}


def prop_label(prop: str) -> str:
    """A property's rdfs:label in ontology/kg.ttl ("collaboratesWith" → "collaborates with")."""
    return labels().get(prop) or re.sub(r"(?<=[a-z])([A-Z])", lambda m: " " + m.group(1).lower(), prop)



class Arguments:
    """Finds a verb's subjects, objects and how it is said (voice, negation, modality)."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self.negation = resources.word_set("negation")
        self.possible = resources.word_set("possible")
        self.agents = resources.word_set("agent_head") | resources.word_set("org_head")
        self.light = resources.word_set("light_verb")
        self.intent = resources.word_set("intention_adj")
        self.failing = resources.word_set("failing_verb")
        self.desire = resources.word_set("desire_verb")
        self.blocked: set[int] = set()      # tokens that are not arguments (a list marker)
        self.misread: dict[int, Token] = {}  # object of a verb read as its modifier → the verb's subject

    def subjects(self, verb: Token, depth: int = 0) -> list[Token]:
        subs = [c for c in verb.children if c.dep_ in SUBJ_DEPS]
        if not subs and verb.i > 1:
            before = next((t for t in verb.doc[max(0, verb.i - 12):verb.i] if misread_participle(t) is verb), None)
            if before is not None:     # "the Report released by X has upgraded Y": the Report upgraded
                return [c for c in before.children if c.dep_ == "nsubj"]
        dateline = self.resolver.document.dateline_end
        subs = [x for s in subs for x in ([s] if s.idx >= dateline else   # "KUALA LUMPUR, July 2 - Minister X said":
                                          [c for c in s.children if c.dep_ == "appos" and c.idx >= dateline])]
        if subs:
            out = []
            for s in subs:
                if s.lower_ in RELATIVE:
                    out.extend(a for a in [antecedent(s)] if a is not None)
                else:
                    out.extend(conjuncts(s))
            return out
        if verb.dep_ == "xcomp" and verb.head.pos_ == "VERB":
            controller = [c for c in verb.head.children if c.dep_ in ("dobj", "obj") and c.i < verb.i]
            if controller:      # object control: "urges the US to stop …" — the US stops
                return conjuncts(controller[0])
        if depth < 6 and verb.dep_ in INHERIT_DEPS and verb.head.pos_ in ("VERB", "AUX"):
            return self.subjects(verb.head, depth + 1)
        if depth < 6 and verb.dep_ == "ccomp" and verb.tag_ in ("VBZ", "VBD") and verb.head.pos_ in ("VERB", "AUX"):
            # a finite clause with no subject is a second predicate the parser took for a complement:
            # "expresses regret … and strongly rejects the accusations"
            return self.subjects(verb.head, depth + 1)
        if depth < 6 and verb.dep_ == "xcomp" and verb.head.pos_ == "ADJ" and verb.head.head.pos_ in ("VERB", "AUX"):
            return self.subjects(verb.head.head, depth + 1)    # "stands ready to discuss with …"
        owner = [c for c in verb.head.children if c.dep_ == "poss" and c.pos_ != "PRON"]   # "its efforts to …": the subject's
        if verb.dep_ == "acl" and owner and any(c.lower_ == "to" for c in verb.children):
            return owner           # "the country's effort to deal with the issue": the country deals
        if (verb.dep_ == "acl" and verb.head.dep_ in OBJ_DEPS and any(c.lower_ == "to" for c in verb.children)
                and verb.head.head.lemma_.lower() in self.light):
            return self.subjects(verb.head.head, depth + 1)   # "made every effort to ensure …"
        if verb.dep_ in ("relcl", "acl", "conj") and verb.head.pos_ in ("NOUN", "PROPN"):
            head = verb.head       # "the Taskforce, co-chaired by A and B, and consisting of …"
            while head.dep_ == "conj" and head.head.pos_ in ("NOUN", "PROPN"):
                head = head.head
            if verb.dep_ == "conj" and head.i in self.misread:
                return [self.misread[head.i]]   # "(d) appoint teams …, and setting up X": the item's verbs
            return [head]
        if depth < 6 and verb.dep_ in ("advcl", "pcomp") and not self.is_passive(verb):
            # "fully implemented …", "by setting up …", "including investigating …": the clause's subject
            up, preps = verb.head, []
            while up.head.i != up.i and (up.dep_ == "prep" or up.dep_ in ("pobj", "pcomp") and up.pos_ not in ("VERB", "AUX")):
                preps.append(up.lower_)
                up = up.head
            if verb.dep_ == "pcomp" and not set(preps) & INSTRUMENT_PREPS:
                return []
            if up.pos_ in ("VERB", "AUX") and up.i != verb.i:
                if self.is_passive(up) and verb.dep_ == "pcomp" and "by" in preps:
                    return []      # "the Order will be revised by adding X": the reviser adds, not the Order
                return self.subjects(up, depth + 1)
        return self._swallowed(verb)

    def _swallowed(self, verb: Token) -> list[Token]:
        """"As the Authority pursues X, Y and Z, Minister A, Chairman of B, met with C": the small
        model hangs the main subject on the fronted clause's last list item, leaving the main verb
        subjectless. A finite root verb with no subject takes the named party whose phrase ends
        just before it (after its apposition), when that party hangs inside a clause the verb governs."""
        if verb.dep_ != "ROOT" or verb.tag_ not in ("VBD", "VBZ", "VBP") or verb.i < 2:
            return []
        tok = verb.doc[verb.i - 1]
        if not tok.is_punct:
            return []
        tok = verb.doc[verb.i - 2]
        for _ in range(8):
            ent = self.resolver.entity(tok)
            if ent is not None and ent.cls in ("Person", "Organization", "GovernmentBody", "Government",
                                               "Committee", "Jurisdiction") and tok.dep_ in ("conj", "appos"):
                return [tok] if verb in tok.ancestors and tok.i < verb.i else []
            if tok.head.i == tok.i or tok.head.i > tok.i or tok.dep_ not in ("pobj", "prep", "appos", "conj", "compound"):
                return []
            tok = tok.head
        return []

    def is_passive(self, verb: Token) -> bool:
        return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children) or (
            verb.dep_ in ("acl", "advcl") and (verb.tag_ == "VBN" or verb.dep_ == "acl" and verb.tag_ == "VBD" and not any(
                c.dep_ in ("nsubj", "dobj") for c in verb.children)) and not any(c.dep_ == "aux" for c in verb.children)
            and not self.misread_predicate(verb)) or self.reduced_passive(verb)

    @staticmethod
    def reduced_passive(verb: Token) -> bool:
        """"… did not provide details when offered the opportunity": a subjectless "when/if/once"
        clause in the past participle is passive — its doer is not the main clause's subject."""
        return (verb.dep_ == "advcl" and verb.tag_ in ("VBN", "VBD")
                and any(c.lower_ in SUBORDINATORS and c.dep_ in ("mark", "advmod") for c in verb.children)
                and not any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in verb.children))

    def misread_verb(self, sent: Span, strict: bool = False) -> tuple[Token, Token] | None:
        """(verb, object) of a sentence or list item that opens with a verb the tagger read as a
        modifier of its object ("(c) appoint dedicated teams …", "Screen migrant workers for …":
        "appoint"/"Screen" hung on the noun); None when the sentence opens otherwise. ``strict``
        (outside a list): only when the sentence has no verb at all ("Support services are provided …"
        opens with a noun)."""
        first = next((t for t in sent if not (t.is_punct or t.is_space or t.i in self.blocked)), None)
        if (first is None or first.pos_ == "VERB" or first.dep_ not in ("nmod", "amod", "compound", "npadvmod")
                or (first.lower_, "", "active") not in resources.lexicon_index()):
            return None
        obj = first.head
        while obj.pos_ == "ADJ" and obj.dep_ == "amod":      # "appoint" hung on "dedicated" of "teams"
            obj = obj.head
        if obj.pos_ not in ("NOUN", "PROPN") or strict and any(t.pos_ in ("VERB", "AUX") for t in sent):
            return None
        return first, obj

    @staticmethod
    def misread_predicate(verb: Token) -> bool:
        """"The Ministry of Labour partnered with IOM.": the small model hangs a past-tense verb on a
        long name as a participle, leaving a sentence with no verb. A participle on the root noun,
        with no "by" agent, right after the name, is that sentence's verb (active)."""
        head = verb.head
        return (verb.dep_ == "acl" and head.dep_ == "ROOT" and head.pos_ in ("NOUN", "PROPN")
                and verb.i == head.i + 1 and not any(c.dep_ == "agent" for c in verb.children))

    def negation_word(self, verb: Token) -> str | None:
        """The word that negates a verb ("not", "never", "no" on its object), if any."""
        for c in verb.children:
            if c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ in self.negation):
                return "not" if c.lower_ == "n't" else c.lower_
            if c.dep_ == "nsubjpass" and any(d.dep_ == "det" and d.lower_ == "no" for d in c.children):
                return "no"     # "no victims were identified": nothing was
            if (c.dep_ in OBJ_DEPS and any(d.dep_ == "det" and d.lower_ == "no" for d in c.children)
                    and verb.lemma_.lower() not in resources.word_set("no_idiom_verb")):
                return "no"
        if verb.dep_ == "acl" and any(d.dep_ == "det" and d.lower_ == "no" for d in verb.head.children):
            return "no"     # "reported no efforts to address X": addressing X is not reported
        if verb.dep_ == "xcomp" and lemma_in(verb.head, self.failing) and not self.negation_word(verb.head):
            return "not"    # "failed to recognise the efforts", "refused to cooperate"
        return None

    def negated(self, verb: Token) -> bool:
        if verb.dep_ == "xcomp" and lemma_in(verb.head, self.failing):
            return not self.negated(verb.head)     # "did not fail to inspect": inspected
        if self.negation_word(verb):
            return True
        if verb.dep_ == "acl" and any(c.lower_ == "to" for c in verb.children) and verb.head.dep_ in OBJ_DEPS \
                and verb.head.head.pos_ in ("VERB", "AUX") and self.negated(verb.head.head):
            return True     # "did not make efforts to reduce the demand": nothing was reduced
        has_aux = any(c.dep_ in ("aux", "auxpass") and c.lower_ != "to" for c in verb.children)
        purpose = verb.dep_ == "advcl" and any(c.lower_ == "to" for c in verb.children)   # "did not amend X to criminalize Y"
        return (verb.dep_ in ("conj", "xcomp") or purpose) and not has_aux and verb.head.pos_ == "VERB" \
            and self.negated(verb.head)

    def modality(self, verb: Token) -> str:
        """asserted, possible ("may be prosecuted"), intended ("stands ready to discuss") or
        desired ("hoped that the U.S. will work with …"): only asserted facts are stated as done."""
        auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass", "advmod")]
        if any(a.lower_ in self.possible for a in auxes):
            return "possible"
        if self.intention(verb) is not None:
            return "intended"
        if self.wisher(verb) is not None:
            return "desired"
        if verb.dep_ in ("conj", "xcomp") and verb.head.pos_ == "VERB":
            return self.modality(verb.head)
        return "asserted"

    def modal_word(self, verb: Token) -> str | None:
        """The word that makes a verb possible ("may", "could", "allegedly"), up its conjuncts."""
        for _ in range(6):
            found = next((c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass", "advmod")
                          and c.lower_ in self.possible), None)
            if found or verb.dep_ not in ("conj", "xcomp") or verb.head.pos_ != "VERB":
                return found
            verb = verb.head
        return None

    @staticmethod
    def _clauses_up(verb: Token) -> Iterator[Token]:
        """The verb and the verbs it depends on through coordination, purpose and complement
        clauses ("… work with each other to prevent trafficking": prevent, work, …)."""
        for _ in range(8):
            yield verb
            if verb.dep_ not in CLAUSE_DEPS or verb.head.i == verb.i:
                return
            verb = verb.head

    def intention(self, verb: Token) -> Token | None:
        """The adjective that makes a verb an intention: "ready" in "stands ready to discuss … and
        work with each other to prevent …"."""
        for top in self._clauses_up(verb):
            if top.dep_ == "xcomp" and top.head.pos_ == "ADJ" and top.head.lemma_.lower() in self.intent:
                return top.head
        return None

    def wisher(self, verb: Token) -> Token | None:
        """The verb that wishes for this one: "hoped" in "hoped that the U.S. will work with us to
        make …"."""
        for top in self._clauses_up(verb):
            if top.dep_ in ("ccomp", "xcomp") and top.head.pos_ == "VERB" and lemma_in(top.head, self.desire):
                return top.head
        return None

    def thing(self, token: Token) -> Entity | Value | None:
        """The entity or value a noun-phrase head stands for."""
        if token.idx < self.resolver.document.dateline_end or token.i in self.blocked:
            return None
        if token.ent_type_ in VALUE_CLASSES:
            return Value(token.text, "date" if token.ent_type_ == "DATE" else "quantity")
        if token.pos_ in ("VERB", "AUX", "ADP", "DET", "CCONJ", "SCONJ", "PUNCT", "ADV", "ADJ", "PART"):
            return self.resolver.entity(token)     # a name the tagger took for a verb ("Omar Said")
        if token.pos_ == "PRON" and (shared := shared_object(token)) is not None:
            token = shared          # "developed procedures but did not finalize them"
        return self.resolver.noun(token, phrase(token, self.blocked))

    def agent(self, token: Token) -> Entity | None:
        """A subject: an entity, or a phrase naming an agent ("Macao police", "judicial authorities"),
        never an abstraction ("the aim", "efforts")."""
        thing = self.thing(token)
        if isinstance(thing, Entity) and thing.cls == "Concept" and token.lemma_.lower() not in self.agents \
                and token.lower_ not in self.agents and token.pos_ != "PROPN":
            return None
        return thing if isinstance(thing, Entity) else None

    def preps(self, verb: Token) -> list[tuple[str, Token]]:
        """(preposition, object head) pairs, in order; "to Tier 2 and 3" gives two;
        "committed to eliminating trafficking" gives ("to", trafficking)."""
        out = []
        for child in verb.children:
            if child.dep_ in ("prep", "agent"):
                for pobj in (c for c in child.children if c.dep_ == "pobj"):
                    out.extend((child.lower_, p) for p in coordination(pobj))
                for pcomp in (c for c in child.children if c.dep_ == "pcomp" and c.tag_ == "VBG"):
                    out.extend((f"{child.lower_} {pcomp.lower_}", o)
                               for c in pcomp.children if c.dep_ in OBJ_DEPS for o in coordination(c))
        return out


def misread_participle(verb: Token) -> Token | None:
    """"… that the Report released on 19 July by the State Department has upgraded X": the model
    reads "released" as the clause's verb (past tense, the report its subject) and hangs the real
    verb ("has upgraded") elsewhere. A past-tense verb with a subject, no object, a "by" phrase, and
    right after its phrase a verb with an auxiliary and no subject of its own is a participle
    modifying that subject; returns that later verb (whose subject the participle's "subject" is)."""
    if verb.tag_ not in ("VBD", "VBN") or any(c.dep_ in OBJ_DEPS | {"aux", "auxpass"} for c in verb.children):
        return None
    if not any(c.dep_ == "nsubj" for c in verb.children) or not any(
            c.dep_ == "prep" and c.lower_ == "by" for c in verb.children):
        return None
    end = max(t.i for t in verb.subtree)
    if end + 2 >= len(verb.doc):
        return None
    aux, main = verb.doc[end + 1], verb.doc[end + 2]
    if aux.dep_ != "aux" or aux.head.i != main.i or main.pos_ != "VERB":
        return None
    if any(c.dep_ in ("nsubj", "nsubjpass") for c in main.children):
        return None
    return main


def lemma_in(token: Token, words: frozenset[str]) -> bool:
    """Whether a verb's lemma is listed, also when the model lemmatises badly ("hoped" → "hop")."""
    w = token.lower_
    forms = {token.lemma_.lower(), w}
    for suffix in ("ing", "ed", "es", "s", "d"):
        if w.endswith(suffix):
            forms |= {w[:-len(suffix)], w[:-len(suffix)] + "e"}
    return bool(forms & words)
