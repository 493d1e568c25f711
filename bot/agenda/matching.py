"""Finding what a question names in the class's own schedule: a visit, a place, a topic, a lecturer.

Every text of the schedule in every language it has (session titles, venues, topic
titles, lecturers) is indexed once per schedule version. Latin text (Vietnamese,
English) is compared diacritics-insensitively by pairs of consecutive words, and by
single long words that are rare in the class (a word seen in many sessions, such as
"Hà Nội" or "hội trường", names nothing); a word not in the class's vocabulary is
corrected to the one within one edit of it ("quang nihn" → "quang ninh"). Lao, written
without spaces, is compared by the longest stretches of characters the question shares
with each text, weighed by how rare that stretch is in the class. A lecturer is named by
their full name, or by their given name after a title ("thầy Hùng", "Dr Hung").
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from bot.domain import Session, SessionKind, Topic

__all__ = ["Entry", "Found", "ScheduleIndex", "edit_distance"]

_WORD = re.compile(r"[a-z0-9]+")
_LAO_CHAR = re.compile(r"[\u0e80-\u0eff]")
_LAO_TONES = dict.fromkeys(range(0x0EC8, 0x0ECC))
"""Lao tone marks: writers slip between them ("ບາດຈ້າງ" for "ບາດຈ່າງ"); names compare without."""


def untoned(lao: str) -> str:
    """Lao text without its tone marks, as the schedule's Lao is compared."""
    return lao.translate(_LAO_TONES)


_TITLES = re.compile(r"\b(?:pgs|gs|ts|ths|tskh|ncs|dr|prof|pgs\.ts|gs\.ts)\b\.?", re.IGNORECASE)

HONORIFICS = (
    "thay", "co", "ong", "ba", "anh", "chi", "gs", "pgs", "ts", "giao su", "tien si",
    "dr", "prof", "professor", "mr", "mrs", "ms", "doctor", "teacher", "lecturer",
)  # fmt: skip
"""Words before a lecturer's given name: "thầy Hùng", "cô Mai", "Dr Hung"."""
LAO_HONORIFICS = ("ອາຈານ", "ທ່ານ", "ດຣ", "ປອ", "ຮສ")
"""The same in Lao, where the name itself is often typed in Latin letters: "ອາຈານ Hùng"."""

GENERIC_WORDS = frozenset(
    (
        "a", "ai", "anh", "ba", "bai", "bao", "bay", "bo", "buoi", "ca", "cac", "can", "cho", "chi",
        "chieu", "chua", "co", "con", "cua", "cung", "da", "dang", "day", "de", "den", "di", "dau",
        "do", "duoc", "em", "gi", "gio", "hoc", "hom", "hoi", "khi", "khong", "ko", "la", "lai",
        "len", "lich", "luc", "mai", "may", "minh", "mot", "nao", "nay", "ngay", "nhe", "nhung",
        "nhu", "o", "oi", "phai", "qua", "ra", "roi", "sang", "sau", "se", "tai", "the", "thi",
        "thu", "toi", "trong", "tu", "tuan", "va", "vao", "ve", "voi", "vay", "xe", "the", "an",
        "and", "are", "at", "be", "by", "can", "do", "does", "for", "from", "go", "going", "how",
        "i", "in", "is", "it", "me", "my", "of", "on", "or", "our", "please", "should", "the", "to",
        "we", "what", "when", "where", "which", "who", "will", "with", "you", "your", "about",
        "tour", "visit", "visits", "trip", "trips", "session", "sessions", "lecture", "lectures",
        "topic", "topics", "class", "bring", "wear", "pack", "back", "get", "return", "time",
        "today", "tomorrow", "week", "day", "ngay", "thu", "chu", "nhat", "sang", "chieu", "toi",
    )
)  # fmt: skip
"""Words that name nothing on their own (question words, particles, the programme's own words)."""

GENERIC_PAIRS = frozenset(
    (
        "chuong_trinh", "lich_trinh", "gioi_thieu", "khoa_hoc", "lop_hoc", "hoc_vien", "chuyen_de",
        "khao_sat", "thuc_te", "tham_quan", "di_thuc", "bai_giang", "hoi_truong", "ha_noi",
        "thanh_pho", "lich_hoc", "bat_dau", "trang_phuc", "nghi_trua", "an_trua", "field_visit",
        "study_trip", "the_capital", "hanoi_s",
    )
)  # fmt: skip
"""Word pairs the programme's own vocabulary uses everywhere ("khảo sát", "thực tế")."""

MAX_SHARE = 0.25
"""A word or stretch found in more than this share of the entries names nothing."""

LAO_MIN = 5
LAO_PHRASE = 10
"""Shortest stretch of Lao characters that is a phrase of the schedule (see mask_shared)."""
LATIN_PHRASE = 3
"""Fewest Latin words that make a phrase of the schedule (see mask_shared)."""
"""Shortest stretch of Lao characters (code points) that can name something."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One thing a question can name: a session (with its topic, if a lecture) or a topic."""

    sessions: tuple[Session, ...]
    topic: Topic | None
    latin: tuple[str, ...]
    """Normalised words of every Latin text (titles, venue, lecturer)."""
    lao: str
    """Every Lao text, normalised, without spaces."""
    given_names: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class Found:
    """The entries a question names, best first (ties kept), and the text that named them."""

    entries: tuple[Entry, ...]
    by_lecturer: str | None = None
    """The normalised "title given-name" words, when a lecturer was named that way."""

    @property
    def topic(self) -> Topic | None:
        """The topic named: the best entry's, unless another topic is as likely."""
        best = self.entries[0].topic
        if best is None or sum(e.topic is not None for e in self.entries) > 1:
            return None
        return best

    @property
    def sessions(self) -> list[Session]:
        """The sessions named, in time order."""
        found = {s.key: s for e in self.entries for s in e.sessions}
        return sorted(found.values(), key=lambda s: (s.day, s.start))


def edit_distance(a: str, b: str, limit: int = 1) -> int:
    """Damerau-Levenshtein distance of ``a`` and ``b`` (``limit + 1`` once it exceeds ``limit``)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _lecturer_names(lecturer: str, normalize: Callable[[str], str]) -> tuple[str, frozenset[str]]:
    """The lecturer's name words (titles and affiliation dropped) and their given names."""
    person = lecturer.split(",")[0]
    words = normalize(_TITLES.sub(" ", person)).replace("(", " ").replace(")", " ")
    given: set[str] = set()
    main, _sep, rest = person.partition("(")
    for part in (main, rest):
        tokens = _WORD.findall(normalize(_TITLES.sub(" ", part)))
        if tokens:
            given.add(tokens[-1])
            if len(tokens) >= 2:
                given.add(" ".join(tokens[-2:]))
    return words, frozenset(given)


class ScheduleIndex:
    """The words of one schedule version, ready to be matched against questions.

    ``normalize`` is the parser's own (:func:`bot.agenda.intents.normalize`), so that the
    schedule and the questions are compared in the same form.
    """

    def __init__(
        self,
        sessions: Sequence[Session],
        topics: Iterable[Topic],
        normalize: Callable[[str], str],
    ) -> None:
        self._normalize = normalize
        by_number = {t.number: t for t in topics}
        entries: list[Entry] = []
        lectures: dict[int, list[Session]] = {}
        for s in sessions:
            if s.kind is SessionKind.BREAK:
                continue
            if s.topic_number is not None and s.topic_number in by_number:
                lectures.setdefault(s.topic_number, []).append(s)
                continue
            entries.append(self._entry((s,), None, [*s.title.values(), s.venue], s.lecturer))
        for number, topic in by_number.items():
            texts = [*topic.title.values()]
            on = tuple(lectures.get(number, ()))
            texts += [v for s in on for v in (*s.title.values(), s.venue)]
            lecturer = topic.lecturer or next((s.lecturer for s in on if s.lecturer), "")
            entries.append(self._entry(on, topic, texts, lecturer))
        self.entries: tuple[Entry, ...] = tuple(entries)
        self._pairs: list[set[str]] = [_pairs(e.latin) for e in entries]
        self._words: list[set[str]] = [set(e.latin) for e in entries]
        self.vocabulary: frozenset[str] = frozenset(w for e in entries for w in e.latin)
        count = max(len(entries), 1)
        self._limit = max(2, math.ceil(count * MAX_SHARE))
        self._df_pairs: dict[str, int] = {}
        self._df_words: dict[str, int] = {}
        for pairs, words in zip(self._pairs, self._words, strict=True):
            for p in pairs:
                self._df_pairs[p] = self._df_pairs.get(p, 0) + 1
            for w in words:
                self._df_words[w] = self._df_words.get(w, 0) + 1
        self._count = count
        self._joined: dict[str, tuple[str, str]] = {}
        for pairs in self._pairs:
            for p in pairs:
                a, b = p.split("_")
                if len(a) >= 2 and len(b) >= 2 and a not in GENERIC_WORDS | FUNCTION_WORDS:
                    self._joined.setdefault(a + b, (a, b))
        self._latin_text = " " + " ".join(w for e in entries for w in (*e.latin, "|")) + " "
        self._lao_text = untoned("|".join(e.lao for e in entries))

    def _entry(
        self, sessions: tuple[Session, ...], topic: Topic | None, texts: list[str], lecturer: str
    ) -> Entry:
        latin: list[str] = []
        lao: list[str] = []
        given: frozenset[str] = frozenset()
        for text in texts:
            norm = self._normalize(text)
            if _LAO_CHAR.search(norm):
                # Lao writers space between phrases: no stretch may cross one.
                lao.append(norm.replace(" ", "|"))
            else:
                latin += [*_WORD.findall(norm), "|"]
        if lecturer:
            words, given = _lecturer_names(lecturer, self._normalize)
            latin += [*_WORD.findall(words), "|"]
        return Entry(sessions, topic, tuple(latin), "|".join(lao), given)

    # --- Latin

    def correct(self, words: list[str], known: frozenset[str]) -> list[str]:
        """Words outside ``known`` and the class's vocabulary, put right when one edit away."""
        fixed: list[str] = []
        for w in words:
            if len(w) < 4 or w in known or w in self.vocabulary or w.isdigit():
                fixed.append(w)
                continue
            if w in self._joined:  # "halong": the schedule's "Hạ Long" run together
                fixed += self._joined[w]
                continue
            close = {v for v in self.vocabulary if len(v) >= 4 and edit_distance(w, v) <= 1}
            fixed.append(close.pop() if len(close) == 1 else w)
        return fixed

    def _latin_scores(self, words: list[str], known: frozenset[str]) -> list[float]:
        pairs = _pairs(tuple(words))
        scores = [0.0] * len(self.entries)
        for i, entry_pairs in enumerate(self._pairs):
            for p in pairs & entry_pairs:
                df = self._df_pairs[p]
                if df <= self._limit and p not in GENERIC_PAIRS:
                    scores[i] += 2 * math.log(1 + self._count / df)
        for w in set(words):
            # One word names something only if it is long, rare in the class, and not a
            # Vietnamese syllable ("giảng" is in "khai giảng" and "bế giảng") nor a word of
            # the parser's own; it may differ by one edit or an English ending ("economy",
            # "economic").
            if len(w) < 5 or w in GENERIC_WORDS or w in known or _SYLLABLE.match(w):
                continue
            like = {v for v in self._df_words if _alike(w, v)}
            hits = [i for i, entry_words in enumerate(self._words) if like & entry_words]
            if hits and len(hits) <= min(2, self._limit):
                for i in hits:
                    scores[i] += math.log(1 + self._count / len(hits))
        return scores

    def _by_title(self, norm: str) -> tuple[list[int], str | None]:
        """Entries whose lecturer is named by a title and given name ("thầy Hùng")."""
        found: list[int] = []
        named: str | None = None
        for i, entry in enumerate(self.entries):
            for given in entry.given_names:
                m = re.search(
                    r"(?:\b(?:"
                    + "|".join(HONORIFICS)
                    + r")\.?\s+(?:\w+\s+){0,2}?|(?:"
                    + "|".join(LAO_HONORIFICS)
                    + r")\s*)"
                    + re.escape(given)
                    + r"(?![a-z0-9])",
                    norm,
                )
                if m and i not in found:
                    found.append(i)
                    named = m[0]
        return found, named

    # --- Lao

    def _lao_scores(self, lao: str, *, toneless: bool = False) -> list[float]:
        """Scores by shared stretches; ``toneless``: compared without tone marks."""
        texts = (
            [untoned(e.lao) for e in self.entries] if toneless else [e.lao for e in self.entries]
        )
        lao = untoned(lao) if toneless else lao
        scores = [0.0] * len(self.entries)
        if len(lao) < LAO_MIN or not self.entries:
            return scores
        seen: dict[str, int] = {}
        for i, text in enumerate(texts):
            if not text:
                continue
            start = 0
            best: set[str] = set()
            while start <= len(lao) - LAO_MIN:
                end = start + LAO_MIN
                if lao[start:end] not in text:
                    start += 1
                    continue
                while end < len(lao) and lao[start : end + 1] in text:
                    end += 1
                best.add(lao[start:end])
                start = end
            for stretch in best:
                if stretch not in seen:
                    seen[stretch] = sum(stretch in t for t in texts)
                df = seen[stretch]
                if df <= self._limit:
                    scores[i] += len(stretch) / 4 * math.log(1 + self._count / df)
        return scores

    # --- The schedule's own phrases
    def mask_shared(self, norm: str) -> str:
        """``norm`` with every long phrase it shares with the schedule's texts replaced by "|".

        A phrase is three Latin words or more ("nghiên cứu tài liệu"), or a stretch of
        :data:`LAO_PHRASE` Lao characters or more ("ການຮ່າງເອກະສານ"): a keyword inside such a
        phrase is the schedule's word (a title), not a request of its own.
        """
        out: list[str] = []
        lao_run: list[str] = []
        latin_run: list[str] = []

        def flush() -> None:
            if latin_run:
                out.extend(self._mask_latin(latin_run))
                latin_run.clear()
            if lao_run:
                out.append(self._mask_lao("".join(lao_run)))
                lao_run.clear()

        for token in norm.split():
            if _LAO_CHAR.search(token):
                if latin_run:
                    flush()
                lao_run.append(token)
            else:
                if lao_run:
                    flush()
                latin_run.append(token)
        flush()
        return " ".join(out)

    def _mask_latin(self, words: list[str]) -> list[str]:
        out: list[str] = []
        i = 0
        while i < len(words):
            j = i
            while j < len(words) and f" {' '.join(words[i : j + 1])} " in self._latin_text:
                j += 1
            if j - i >= LATIN_PHRASE:
                out.append("|")
                i = j
            else:
                out.append(words[i])
                i += 1
        return out

    def _mask_lao(self, lao: str) -> str:
        out: list[str] = []
        i = 0
        while i < len(lao):
            j = i + LAO_PHRASE
            if j <= len(lao) and untoned(lao[i:j]) in self._lao_text:
                while j < len(lao) and untoned(lao[i : j + 1]) in self._lao_text:
                    j += 1
                out.append("|")
                i = j
            else:
                out.append(lao[i])
                i += 1
        return "".join(out)

    # --- Both

    def find(
        self, norm: str, lao: str, known: frozenset[str] = frozenset(), *, topical: bool = False
    ) -> Found | None:
        """What the normalised question names: the best entries, or None below the threshold.

        Args:
            norm: the question, normalised (see :func:`bot.agenda.intents.normalize`).
            lao: its Lao part without spaces, the parser's own keywords taken out.
            known: words the parser understands, never corrected towards the schedule.
            topical: the question is about a topic ("chuyên đề", "bài", "ຫົວຂໍ້"): topics
                come before the sessions that share their words.
        """
        if not self.entries:
            return None
        titled, named = self._by_title(norm)
        if titled:
            return Found(tuple(self.entries[i] for i in titled), by_lecturer=named)
        words = self.correct(_WORD.findall(norm), known)
        latin = self._latin_scores(words, known)
        lao_scores = self._lao_scores(lao)
        if max(lao_scores, default=0.0) < 2.0 and max(latin, default=0.0) < 2.0:
            lao_scores = self._lao_scores(lao, toneless=True)  # "ບາດຈ້າງ" for "ບາດຈ່າງ"
        scores = [a + b for a, b in zip(latin, lao_scores, strict=True)]
        if topical and any(scores[i] > 0 for i, e in enumerate(self.entries) if e.topic):
            scores = [s if e.topic else 0.0 for s, e in zip(scores, self.entries, strict=True)]
        best = max(scores)
        if best < 2.0:
            return None
        top = sorted((i for i, s in enumerate(scores) if s >= best * 0.8), key=lambda i: -scores[i])
        return Found(tuple(self.entries[i] for i in top))


_SYLLABLE = re.compile(
    r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?$"
)
"""One Vietnamese syllable without its marks ("giang", "quang", "nguyen")."""


def _alike(word: str, other: str) -> bool:
    """The same word, one edit apart, or the same English stem ("economy", "economic"),
    even with a slip in it ("ecnoomy")."""
    if word == other:
        return True
    if len(other) >= 5 and edit_distance(word, other) <= 1:
        return True
    if len(word) < 6 or len(other) < 6:
        return False
    return word[:5] == other[:5] or edit_distance(word[:6], other[:6]) <= 1


def _pairs(words: tuple[str, ...] | list[str]) -> set[str]:
    """Consecutive word pairs, leaving out any with a word that names nothing ("for the")."""
    return {
        f"{a}_{b}"
        for a, b in itertools.pairwise(words)
        if "|" not in (a, b) and a not in FUNCTION_WORDS and b not in FUNCTION_WORDS
    }


FUNCTION_WORDS = frozenset(
    (
        "the", "a", "an", "for", "to", "of", "and", "in", "on", "at", "is", "are", "we", "you", "i",
        "my", "our", "with", "from", "by", "or", "cho", "cua", "va", "la", "o", "tai", "voi", "nhe",
        "thi", "ma",
    )
)  # fmt: skip
"""Words that join others ("for the", "của"): no pair with one of them names anything."""
