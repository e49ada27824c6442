"""What matchmaking notices say, in each interface language, with no imports: the web
catalog (web.match_texts) takes these words in, and loading it must stay light."""

from __future__ import annotations

# What notices say, in the pages' message keys (web.match_texts merges these in).
WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "match_notice_interest": "{post}对{other}表示了兴趣",
        "match_notice_moved": "{need}与{offer}：{state}",
        "match_notice_suggested": "{need}与{offer}被相互推荐",
        "match_state_contacted": "已联系",
        "match_state_discussion": "讨论中",
        "match_state_agreement": "已达成协议",
        "match_state_closed": "已完成",
        "match_state_dropped": "已放弃",
    },
    "en": {
        "match_notice_interest": "{post} is interested in {other}",
        "match_notice_moved": "{need} and {offer}: {state}",
        "match_notice_suggested": "{need} and {offer} are suggested for each other",
        "match_state_contacted": "contacted",
        "match_state_discussion": "in discussion",
        "match_state_agreement": "agreement",
        "match_state_closed": "closed",
        "match_state_dropped": "dropped",
    },
}


def wording(
    language: str,
    kind: str,
    need: str,
    offer: str,
    *,
    state: str | None = None,
    interested: str | None = None,
) -> str:
    """What a notice about the pair (`need`, `offer`) says in `language`: a suggestion,
    one side's interest (a connection's first state, "contacted"), or a move to `state`.
    `kind`, `state` and `interested` (the side that expressed interest) are the values of
    match.models' NoticeKind, ConnectionState and Side."""
    words = WORDS[language]
    if kind == "suggestion" or state is None:
        return words["match_notice_suggested"].format(need=need, offer=offer)
    if state == "contacted":
        post, other = (need, offer) if interested == "need" else (offer, need)
        return words["match_notice_interest"].format(post=post, other=other)
    label = words[f"match_state_{state}"]
    return words["match_notice_moved"].format(need=need, offer=offer, state=label)
