import codecs
import io
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spillguard.formats import encoding
from spillguard.formats.encoding import DecodedReader, Utf8Reader, detect, looks_binary

CANARY = "110105194912310021"
ZH = f"姓名：张三，身份证号：{CANARY}，住址：北京市朝阳区建国路88号，民族：汉族\n" * 20
TW = f"姓名：陳大文，身分證字號：A123456789，住址：臺北市中正區重慶南路一段\n" * 20
DE = f"Name: Jürgen Müller; Straße: Königsallee; Stadt: Düsseldorf; Nr: {CANARY}\n" * 20


@pytest.mark.parametrize(
    "data, expected, skip",
    [
        (b"plain ascii", "utf-8", 0),
        ("统一码".encode(), "utf-8", 0),
        (codecs.BOM_UTF8 + "统一码".encode(), "utf-8", 3),
        (codecs.BOM_UTF16_LE + "统一码".encode("utf-16-le"), "utf-16-le", 2),
        (codecs.BOM_UTF16_BE + "统一码".encode("utf-16-be"), "utf-16-be", 2),
        (codecs.BOM_UTF32_LE + "统一码".encode("utf-32-le"), "utf-32-le", 4),
        (codecs.BOM_UTF32_BE + "统一码".encode("utf-32-be"), "utf-32-be", 4),
        ("name,id\nAlice,1\n".encode("utf-16-le"), "utf-16-le", 0),
        ("name,id\nAlice,1\n".encode("utf-16-be"), "utf-16-be", 0),
        (ZH.encode("gbk"), "gb18030", 0),
        ((ZH + "€𠀀\n").encode("gb18030"), "gb18030", 0),
        (TW.encode("big5"), "big5hkscs", 0),
        (DE.encode("latin-1"), "latin-1", 0),
    ],
)
def test_detect(data, expected, skip):
    assert detect(data) == (expected, skip)


@pytest.mark.parametrize("text, enc", [(ZH, "gbk"), (ZH, "gb18030"), (TW, "big5"), (DE, "latin-1")])
def test_detected_text_decodes_back(text, enc):
    reader = DecodedReader(io.BytesIO(text.encode(enc)))
    assert reader.read(10**6) == text
    assert reader.errors == 0


def test_detection_head_cut_inside_a_character():
    data = ZH.encode("gbk") * 200  # > 64 KiB: the head ends somewhere inside the text
    assert detect(data[:65537])[0] == "gb18030"


@pytest.mark.parametrize(
    "head, binary",
    [
        (b"", False),
        (b"\x00" * 4096, True),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, True),
        (os.urandom(65536), True),
        ("name,id\n".encode("utf-16-le") * 100, False),
        (codecs.BOM_UTF16_LE + "text".encode("utf-16-le"), False),
        (ZH.encode("gbk"), False),
        (TW.encode("big5"), False),
        (b"log line\twith tab\r\n" * 50 + b"\x00", False),
    ],
)
def test_looks_binary(head, binary):
    assert looks_binary(head) is binary


def test_decode_errors_are_counted_not_kept():
    data = b"ok " + b"\xff\xfe\xfa" + b" ok\n"
    reader = DecodedReader(io.BytesIO(data), "utf-8")
    text = reader.read(100)
    assert text == "ok \ufffd\ufffd\ufffd ok\n"
    assert reader.errors == 3
    assert reader.bytes_read == len(data)


def test_truncated_multibyte_at_end_is_an_error():
    reader = DecodedReader(io.BytesIO("张".encode()[:2]), "utf-8")
    assert reader.read(10) == "\ufffd"
    assert reader.errors == 2


def test_error_counters_are_per_reader():
    a = DecodedReader(io.BytesIO(b"\xff" * 5), "utf-8")
    b = DecodedReader(io.BytesIO(b"fine"), "utf-8")
    a.read(10), b.read(10)
    assert (a.errors, b.errors) == (5, 0)


@pytest.mark.parametrize(
    "data, limit, lines",
    [
        (b"a\nb\r\nc\rd", 100, ["a\n", "b\r\n", "c\r", "d"]),
        (b"\r\n\r\n", 100, ["\r\n", "\r\n"]),
        (b"x" * 10 + b"\n", 4, ["x" * 4, "x" * 4, "xx\n"]),
    ],
)
def test_readline(monkeypatch, data, limit, lines):
    monkeypatch.setattr(encoding, "READ_BYTES", 3)  # \r\n split across reads
    reader = DecodedReader(io.BytesIO(data), "utf-8")
    got = []
    while line := reader.readline(limit):
        got.append(line)
    assert got == lines


def test_utf8_reader_reencodes():
    raw = io.BytesIO(codecs.BOM_UTF16_LE + '{"名": "张三"}'.encode("utf-16-le"))
    out = Utf8Reader(DecodedReader(raw))
    assert out.read(0) == b""
    assert out.read(4096) == '{"名": "张三"}'.encode()


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(st.characters(blacklist_categories=("Cs",)), max_size=300),
    enc=st.sampled_from(["utf-8", "utf-16", "utf-32", "utf-8-sig"]),
    chunk=st.integers(1, 7),
    step=st.integers(1, 9),
)
def test_roundtrip_any_split(text, enc, chunk, step):
    if enc == "utf-16" and text.startswith("\x00"):
        text = "a" + text  # FF FE 00 00 is the UTF-32 BOM: a real ambiguity
    old = encoding.READ_BYTES
    encoding.READ_BYTES = chunk
    try:
        reader = DecodedReader(io.BytesIO(text.encode(enc)), None if enc != "utf-8" else "utf-8")
        parts = []
        while piece := reader.read(step):
            assert len(piece) <= step
            parts.append(piece)
    finally:
        encoding.READ_BYTES = old
    assert "".join(parts) == text
    assert reader.errors == 0
