"""The synthetic JSON payload `aurora-gen calibrate` stores: agent records, structure plus English-like text.

An agent writes records of its work: the messages of a conversation (who spoke, when, what was said), the
tool calls it made and what they returned, and a summary. PostgreSQL's TOAST compresses such a record by
what repeats inside it: the keys of every message, the agent's own ids, timestamps that share their prefix,
and the words of English text. Random bytes would not compress at all and repeated characters would
compress to nothing; both would misstate the stored bytes. The text here is built from common English words
drawn with Zipf's law (the k-th most frequent word about 1/k as often), as running text is.
tests/test_payload_compression.py checks the stored/text ratio against a real corpus of JSON conversations.
Deterministic: one seed, one payload.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from functools import cache
from itertools import accumulate

# The commonest English words, most frequent first, then words an agent's work brings in.
_ENGLISH = (
    "the of and to a in is it you that he was for on are with as i his they be at one have this from or had "
    "by not word but what some we can out other were all there when up use your how said an each she which do "
    "their time if will way about many then them write would like so these her long make thing see him two has "
    "look more day could go come did number sound no most people my over know water than call first who may "
    "down side been now find any new work part take get place made live where after back little only round man "
    "year came show every good me give our under name very through just form sentence great think say help low "
    "line differ turn cause much mean before move right boy old too same tell does set three want air well also "
    "play small end put home read hand port large spell add even land here must big high such follow act why "
    "ask men change went light kind off need house picture try us again animal point mother world near build "
    "self earth father head stand own page should country found answer school grow study still learn plant "
    "cover food sun four between state keep eye never last let thought city tree cross farm hard start might "
    "story saw far sea draw left late run don't while press close night real life few north open seem together "
    "next white children begin got walk example ease paper group always music those both mark often letter "
    "until mile river car feet care second book carry took science eat room friend began idea fish mountain "
    "stop once base hear horse cut sure watch color face wood main enough plain girl usual young ready above "
    "ever red list though feel talk bird soon body dog family direct pose leave song measure door product "
    "black short numeral class wind question happen complete ship area half rock order fire south problem "
    "piece told knew pass since top whole king space heard best hour better true during hundred five remember "
    "step early hold west ground interest reach fast verb sing listen six table travel less morning ten simple "
    "several vowel toward war lay against pattern slow center love person money serve appear road map rain "
    "rule govern pull cold notice voice unit power town fine certain fly fall lead cry dark machine note wait "
    "plan figure star box noun field rest correct able pound done beauty drive stood contain front teach week "
    "final gave green oh quick develop ocean warm free minute strong special mind behind clear tail produce "
    "fact street inch multiply nothing course stay wheel full force blue object decide surface deep moon "
    "island foot system busy test record boat common gold possible plane stead dry wonder laugh thousand ago "
    "ran check game shape equate hot miss brought heat snow tire bring yes distant fill east paint language "
    "among agent task tool result request response query search source document customer account order "
    "service error retry timeout status report summary context memory user assistant file page data value "
    "update review approve schedule meeting invoice payment issue ticket deploy build branch version"
).split()
# Zipf weights: the word of rank k is drawn with weight 1/k.
_CUMULATIVE = list(accumulate(1 / (k + 1) for k in range(len(_ENGLISH))))
_TOOLS = (
    "search_documents fetch_url read_file write_file run_query send_email create_ticket update_record "
    "lookup_customer get_weather summarize_text translate_text calendar_lookup list_orders refund_payment"
).split()
_STATUSES = ("active", "active", "active", "idle", "blocked")
_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
# A message is 1-2 sentences, and half the messages return to the record's subject (8 words of its own):
# tuned so the ratios per size sit within compression_tolerance of the real corpus (calibrate-settings.yaml).
_SENTENCES_PER_MESSAGE = (1, 3)
_TOPIC_SHARE = 0.5


def _sentence(rng: random.Random) -> str:
    words = rng.choices(_ENGLISH, cum_weights=_CUMULATIVE, k=rng.randrange(4, 18))
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice((".", ".", ".", "?", "!"))  # 4-17 words, as people write


def _text(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng) for _ in range(sentences))


@cache
def _sentences(count: int = 20_000) -> list[str]:
    """Sentences made once, when a record is first drawn (not at import: ~90 ms): a record picks from them
    (drawing words per record is too slow for the load)."""
    rng = random.Random(23)
    return [_sentence(rng) for _ in range(count)]


def _id(rng: random.Random, length: int = 24) -> str:
    return f"{rng.getrandbits(4 * length):0{length}x}"


def _message(rng: random.Random, sender: str, topic: list[str], ts: datetime, call: str | None) -> dict:
    role = "tool" if call else rng.choice(("user", "assistant"))  # a tool call's result comes next
    text = " ".join(rng.choices(_sentences(), k=rng.randrange(*_SENTENCES_PER_MESSAGE)))
    if rng.random() < _TOPIC_SHARE:
        text += " " + " ".join(rng.sample(topic, 3)).capitalize() + "."
    message = {"role": role, "sender": sender, "ts": ts.strftime("%Y-%m-%dT%H:%M:%SZ"), "text": text}
    if call:
        message["tool_call_id"] = call
        message["ok"] = rng.random() > 0.1
        message["ms"] = rng.randrange(5_000)
    elif role == "assistant" and rng.random() < 0.4:
        message["tool_calls"] = [
            {
                "id": f"call_{_id(rng, 12)}",
                "name": rng.choice(_TOOLS),
                "args": {"query": " ".join(rng.choices(_ENGLISH[:300], k=rng.randrange(2, 6))), "limit": 10},
            }
        ]
    return message


def record(rng: random.Random, size: int) -> str:
    """A JSON agent record of at most about `size` bytes (never fewer than its head: ~250 bytes)."""
    session, sender = _id(rng, 16), f"agent-{_id(rng, 8)}"
    topic = rng.sample(_ENGLISH[100:], 8)  # a record's subject: its words recur, as in a conversation
    doc: dict = {
        "status": rng.choice(_STATUSES),
        "step": rng.randrange(10**6),
        "session": session,
        "model": rng.choice(("small", "medium", "large")),
        "usage": {"input_tokens": rng.randrange(200_000), "output_tokens": rng.randrange(20_000)},
        "summary": " ".join(rng.choices(_sentences(), k=1 if size < 1000 else 2)),
        "messages": [],
    }
    ts = _EPOCH + timedelta(seconds=rng.randrange(10**7))
    length = len(json.dumps(doc, separators=(",", ":")))
    call = None
    while True:
        message = _message(rng, sender, topic, ts, call)
        grown = length + len(json.dumps(message, separators=(",", ":"))) + 1
        if grown > size:
            if not doc["messages"]:  # a small record: one message, its text cut to fit
                message["text"] = message["text"][: max(20, len(message["text"]) - (grown - size))].rsplit(" ", 1)[0]
                doc["messages"].append(message)
            break
        doc["messages"].append(message)
        length = grown
        calls = message.get("tool_calls")
        call = calls[0]["id"] if calls else None
        ts += timedelta(seconds=rng.randrange(1, 40))
    text = json.dumps(doc, separators=(",", ":"))
    if len(text) < size:  # fill to the size with one more message's text, cut at a word
        room = (
            size - len(text) - len(',{"role":"user","sender":"","ts":"2026-01-01T00:00:00Z","text":""}') - len(sender)
        )
        if room > 0:
            extra = _text(rng, room // 40 + 1)[:room].rsplit(" ", 1)[0]
            doc["messages"].append(
                {"role": "user", "sender": sender, "ts": ts.strftime("%Y-%m-%dT%H:%M:%SZ"), "text": extra}
            )
            text = json.dumps(doc, separators=(",", ":"))
    return text
