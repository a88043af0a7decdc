"""The glossary (Glosarium): the few measures and words of the dashboard a Humas officer may not know, each with
a short definition for the (i) tooltips and a longer one for the page. ``terms`` gives them in the reader's
language with the words that mark them in headings and table headers (``static/terms.js`` adds the tooltips)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from citra.web.i18n import N_


@dataclass(frozen=True, slots=True)
class Entry:
    """``key`` is the page anchor; ``words`` are lower-case phrases (both languages) that name the term."""

    key: str
    term: str
    short: str
    long: str
    words: tuple[str, ...]


ENTRIES = (
    Entry(
        "indeks",
        N_("Citra index"),
        N_("0 to 100: 50 when positive and negative posts balance, higher is a better image."),
        N_(
            "The public image in one number, from the sentiment of citizens' posts (official accounts left out): "
            "0 when every post is negative, 50 when positive and negative balance, 100 when every post is positive. "
            "It uses the model's probabilities, corrected by the team's random audit labels once there are enough."
        ),
        ("indeks citra", "citra index"),
    ),
    Entry(
        "sentimen-bersih",
        N_("Net sentiment"),
        N_("Share of positive posts minus share of negative posts (from -100% to +100%)."),
        N_(
            "The share of positive posts minus the share of negative posts, as staff would count them by hand: "
            "+20% means positive posts outnumber negative ones by a fifth of all posts; below zero, complaints "
            "dominate."
        ),
        ("sentimen bersih", "net sentiment"),
    ),
    Entry(
        "porsi-negatif",
        N_("Negative share"),
        N_("The part of citizens' posts that are negative."),
        N_(
            "How many of the citizens' posts about a topic, an OPD or a person are negative, as a percentage. "
            "A high share on few posts is uncertain: look at the interval and the number of posts."
        ),
        ("porsi negatif", "negative share", "% negatif", "% negative"),
    ),
    Entry(
        "selang",
        N_("Confidence interval"),
        N_("The range the true value lies in with 95% confidence; narrow means certain."),
        N_(
            "The range in which the true value lies with 95% confidence, given how many posts there are and how "
            "reliable the model is. Two numbers whose intervals overlap may not really differ; with few posts "
            "the interval is wide."
        ),
        ("selang kepercayaan", "interval", "confidence interval"),
    ),
    Entry(
        "nilai-p",
        N_("p-value"),
        N_("How likely such an effect is by chance alone; below 0.05 it is seldom chance."),
        N_(
            "How likely an effect at least this large would appear by chance alone if the strategy had no effect. "
            "Below 0.05 chance is an unlikely explanation; above it, the effect is not yet shown (it may still "
            "exist: the data may be too few)."
        ),
        ("nilai p", "nilai-p", "p-value", "p value"),
    ),
    Entry(
        "opd",
        N_("OPD"),
        N_("Organisasi Perangkat Daerah: the city's agencies (Dinas, Badan, Satpol PP ...)."),
        N_(
            "Organisasi Perangkat Daerah, the city's agencies (Dinas Kesehatan, Dinas PUPR, Disdukcapil, Satpol PP "
            "...). Citizens' complaints are routed to the OPD in charge; the map from services to OPDs is set in "
            "Settings."
        ),
        ("opd",),
    ),
    Entry(
        "jangkauan",
        N_("Reach"),
        N_("How many people a post reached: likes, reposts, replies and quotes (capped at 1,000 per post)."),
        N_(
            "How widely a post was seen, from its likes, reposts, replies and quotes, capped at 1,000 per post so "
            "one viral post cannot stand for a whole period. The reach-weighted index counts posts by this weight."
        ),
        ("jangkauan", "reach"),
    ),
    Entry(
        "komunitas",
        N_("Community"),
        N_("Accounts that interact with each other more than with the rest: often one side of the conversation."),
        N_(
            "A group of accounts that repost, quote, reply to and mention each other more than they do the rest, "
            "found with the Louvain method on the network of these interactions. A community is often one side of "
            "a debate or one circle of friends; its distinctive words and the subjects it names most show what it "
            "talks about. Communities are numbered by size, 1 the largest."
        ),
        ("komunitas", "community", "communities"),
    ),
    Entry(
        "pagerank",
        N_("PageRank"),
        N_("How much of the network's attention reaches an account; higher is more central."),
        N_(
            "How central an account is in the conversation: high when many accounts repost, quote, reply to or "
            "mention it, and higher still when those accounts are central themselves (the method search engines "
            "first used to rank web pages by their links). It is not a follower count: an account with few "
            "followers can be central in one week's conversation."
        ),
        ("pagerank",),
    ),
    Entry(
        "kelompok-terkoordinasi",
        N_("Coordinated group"),
        N_(
            "Accounts that acted together (same text, same repost or same hashtag within seconds) more often than "
            "chance allows."
        ),
        N_(
            "Accounts that posted the same or nearly the same text, reposted the same post, or pushed the same "
            "hashtag within seconds of each other, repeatedly and more often than chance would give for accounts "
            "that active. It describes a behaviour, with the posts and their times as evidence; it does not say who "
            "is behind the accounts: volunteers or an office sharing one message can look the same as a paid "
            "campaign."
        ),
        ("kelompok terkoordinasi", "coordinated group", "coordinated groups"),
    ),
)


def terms(gettext: Callable[[str], str]) -> list[dict[str, object]]:
    """The entries for the tooltips, in the reader's language."""
    return [{"key": e.key, "term": gettext(e.term), "short": gettext(e.short), "words": e.words} for e in ENTRIES]
