import os
import time

from autoviz_pipeline.inbox import (VALID_KEY, check_partition_key, find_partition_file, partition_key_for, scan_inbox,
                                    sidecar_question)


def _touch(path, text="a,b\n1,2\n", age=60.0):
    path.write_text(text)
    t = time.time() - age
    os.utime(path, (t, t))
    return path


def test_new_same_modified(tmp_path):
    csv = _touch(tmp_path / "sales.csv")
    found, seen, _ = scan_inbox(tmp_path, {}, settle_seconds=5)
    assert [f.partition for f in found] == ["sales.csv"] and seen == {"sales.csv": csv.stat().st_mtime_ns}
    again, seen2, _ = scan_inbox(tmp_path, seen, settle_seconds=5)
    assert again == [] and seen2 == seen
    _touch(csv, "a,b\n1,3\n", age=30.0)  # a new version
    changed, seen3, _ = scan_inbox(tmp_path, seen2, settle_seconds=5)
    assert [f.partition for f in changed] == ["sales.csv"]
    assert changed[0].run_key != found[0].run_key and seen3["sales.csv"] == csv.stat().st_mtime_ns


def test_unsettled_partial_and_non_csv_are_skipped(tmp_path):
    _touch(tmp_path / "fresh.csv", age=0.0)
    _touch(tmp_path / "upload.csv.part")
    _touch(tmp_path / ".hidden.csv")
    _touch(tmp_path / "notes.txt")
    found, seen, notes = scan_inbox(tmp_path, {}, settle_seconds=5)
    assert found == [] and seen == {}
    assert any("fresh.csv" in n and "settle" in n for n in notes)
    later, _, _ = scan_inbox(tmp_path, {}, settle_seconds=5, now=time.time() + 10)
    assert [f.path.name for f in later] == ["fresh.csv"]


def test_unsafe_names_get_safe_distinct_keys():
    for name in ["../../etc/passwd.csv", "v1...final.csv", "a,b.csv", "tab\there.csv", "x" * 300 + ".csv",
                 "ünïcode.csv", "sp ace.csv"]:
        key = partition_key_for(name)
        assert VALID_KEY.fullmatch(key) and ".." not in key and "/" not in key, (name, key)
    assert partition_key_for("a,b.csv") != partition_key_for("a;b.csv")
    assert partition_key_for("sales_2024.csv") == "sales_2024.csv"


def test_sidecar_question(tmp_path):
    csv = _touch(tmp_path / "sales.csv")
    assert sidecar_question(csv) is None
    (tmp_path / "sales.question.txt").write_text("  revenue\nby region  " + "x" * 5000)
    q = sidecar_question(csv)
    assert q.startswith("revenue by region") and len(q) <= 2000


def test_temporary_names_wait_and_the_cursor_forgets_removed_files(tmp_path):
    for name in ("~$book.csv", ".~lock.book.csv#", "x.csv.crdownload", "x.csv.filepart"):
        _touch(tmp_path / name)
    gone = _touch(tmp_path / "gone.csv")
    found, seen, _ = scan_inbox(tmp_path, {}, settle_seconds=5)
    assert [f.path.name for f in found] == ["gone.csv"]
    gone.unlink()
    assert scan_inbox(tmp_path, seen, settle_seconds=5)[1] == {}


def test_clean_question_and_display_name():
    from autoviz_pipeline.inbox import clean_question, display_name

    q, notes = clean_question("  sales\x00 by\n\tregion\u202e  ", max_chars=100)
    assert q == "sales by region" and notes == []
    q, notes = clean_question("word " * 1000, max_chars=100)
    assert len(q) <= 100 and q.endswith("word") and "shortened" in notes[0]
    shown = display_name("caf\udce9\n\u202e<b>.csv")
    assert shown == "caf\\udce9\\u000a\\u202e<b>.csv" and len(display_name("x" * 500)) == 200


def test_links_and_special_files_are_never_followed(tmp_path):
    """A CSV or sidecar that is a symbolic link (to a file out of the inbox, or to /proc/self/environ) or a
    FIFO is skipped with a note; a sidecar FIFO does not block the read."""
    inbox, outside = tmp_path / "inbox", tmp_path / "outside"
    inbox.mkdir()
    outside.mkdir()
    secret = _touch(outside / "secret.csv", "token,value\nabc,1\n")
    (inbox / "linked.csv").symlink_to(secret)
    os.mkfifo(inbox / "pipe.csv")
    real = _touch(inbox / "real.csv")
    (inbox / "real.question.txt").symlink_to(_touch(outside / "q.txt", "SECRET=hunter2"))
    found, _, notes = scan_inbox(inbox, {}, settle_seconds=0, now=time.time() + 120)
    assert [f.path.name for f in found] == ["real.csv"]
    assert any("linked.csv" in n and "symbolic link" in n for n in notes)
    assert any("pipe.csv" in n and "not a regular file" in n for n in notes)
    assert sidecar_question(real) is None  # the linked sidecar is not read
    (inbox / "real.question.txt").unlink()
    os.mkfifo(inbox / "real.question.txt")
    assert sidecar_question(real) is None  # returns at once: nothing writes to the FIFO
    assert find_partition_file(inbox, "linked.csv") is None and find_partition_file(inbox, "real.csv") == real


def test_partition_keys_are_checked():
    assert check_partition_key("sales_2024.csv") == "sales_2024.csv"
    for bad in ["../../../escaped_key", "a/b.csv", "", "..", "x" * 200]:
        try:
            check_partition_key(bad)
        except ValueError as exc:
            assert "partition key" in str(exc)
        else:
            raise AssertionError(bad)
