import pytest

from geomap.documents import read_documents, scan_documents, split_sentences
from geomap.errors import InputError

from conftest import write_doc


def test_seeds_have_manifest_metadata(repo):
    docs = {d.name: d for d in read_documents(repo / "seeds")}
    assert len(docs) == 5
    dated = docs["001_2e99a33edcc75232.txt"]
    assert (dated.published, dated.published_precision) == ("2022-02-22", "day")
    assert docs["003_7e53d3da7fa8d9ca.txt"].title.startswith("Cambodia government rejects CNA")
    assert docs["003_7e53d3da7fa8d9ca.txt"].publisher == "CNA"


def test_seed_texts_are_unchanged(repo):
    """seeds/SHA256SUMS holds the digests of the seed articles as they were given (sha256sum's
    format, so `sha256sum -c` checks them too); beside ../shared/seeds, those are checked as well."""
    import hashlib

    recorded = dict(reversed(line.split("  ", 1)) for line in
                    (repo / "seeds" / "SHA256SUMS").read_text(encoding="utf-8").splitlines())
    assert sorted(recorded) == sorted(p.name for p in (repo / "seeds").glob("*.txt"))
    for name, digest in recorded.items():
        assert hashlib.sha256((repo / "seeds" / name).read_bytes()).hexdigest() == digest, name
    shared = repo.parent / "shared" / "seeds"
    for path in shared.glob("*.txt") if shared.is_dir() else ():
        assert recorded[path.name] == hashlib.sha256(path.read_bytes()).hexdigest(), path.name


def test_front_matter_wins_over_manifest_and_offsets_count_from_body(tmp_path):
    write_doc(tmp_path, "manifest.csv", "file,title,published\na.txt,Manifest title,2020\n")
    body = "Police raided a compound in Poipet.\n"
    write_doc(tmp_path, "a.txt", "---\ntitle: Front title\npublished: 2021-03\nsection: crime\n---\n" + body)
    doc, = read_documents(tmp_path)
    assert doc.title == "Front title"
    assert (doc.published, doc.published_precision) == ("2021-03", "month")
    assert doc.text == body
    assert doc.text[doc.sentences[0].start:doc.sentences[0].end] == "Police raided a compound in Poipet."
    assert dict(doc.extra) == {"section": "crime"}


def test_undated_document_is_still_read(tmp_path):
    write_doc(tmp_path, "a.txt", "No date here.\n")
    doc, = read_documents(tmp_path)
    assert doc.published == "" and not doc.is_dated


def test_bom_and_crlf_are_accepted(tmp_path):
    (tmp_path / "a.txt").write_bytes("\ufeffLine one.\r\nLine two.\r\n".encode("utf-8"))
    doc, = read_documents(tmp_path)
    assert doc.text == "Line one.\nLine two.\n"


def test_non_utf8_document_names_file_and_line(tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"fine\nbad \xe9 byte\n")
    with pytest.raises(InputError) as error:
        read_documents(tmp_path)
    assert str(error.value).startswith(f"{tmp_path / 'bad.txt'}:2: not valid UTF-8")


def test_bad_published_in_manifest_names_line_and_column(tmp_path):
    write_doc(tmp_path, "a.txt", "Text.\n")
    write_doc(tmp_path, "manifest.csv", "file,published\na.txt,22/02/2022\n")
    with pytest.raises(InputError) as error:
        read_documents(tmp_path)
    assert "manifest.csv:2: column published: '22/02/2022' is not a date" in str(error.value)


def test_unclosed_front_matter_is_an_error(tmp_path):
    write_doc(tmp_path, "a.txt", "---\ntitle: x\nno end\n")
    with pytest.raises(InputError, match="no closing '---'"):
        read_documents(tmp_path)


def test_sentences_keep_abbreviations_and_initials_together():
    text = "The U.S. Treasury said on Feb. 24 that Gregory B. Poling spoke. Then Mr. Ghosh left."
    sentences = [s.text for s in split_sentences(text)]
    assert sentences == ["The U.S. Treasury said on Feb. 24 that Gregory B. Poling spoke.", "Then Mr. Ghosh left."]
    for s in split_sentences(text):
        assert text[s.start:s.end] == s.text


def test_every_manifest_problem_is_reported_with_the_line_its_record_starts_on(tmp_path):
    write_doc(tmp_path, "a.txt", "Police raided a compound in Poipet.\n")
    write_doc(tmp_path, "b.txt", "Police raided a compound in Bavet.\n")
    write_doc(tmp_path, "manifest.csv", 'file,title,published,notes\n'
                                        'a.txt,"A title that runs\nover two lines",2024-13,mine\n'
                                        'b.txt,B,2024,\n'
                                        'a.txt,Again,2024,\n')
    with pytest.raises(InputError) as error:
        read_documents(tmp_path)
    message = str(error.value)
    assert "2 error(s) in the documents' manifest" in message
    assert "manifest.csv:2: column published: '2024-13' is not a date" in message
    assert "manifest.csv:5: column file: a.txt is listed twice (one row per file; first on line 2)" in message
    assert "notes" not in message  # a column of the user's own is kept and ignored



def test_an_unclosed_front_matter_block_still_gives_its_date_not_a_sentence(tmp_path):
    # "published: ..." read as a sentence of the story made a "report" event of it
    write_doc(tmp_path, "a.txt", "---\ntitle: Raid in Poipet\npublished: 2024-03-02\n"
                                 "Police raided a compound in Poipet on Friday.\n")
    scan = scan_documents(tmp_path)
    [document] = scan.documents
    assert (document.title, document.published) == ("Raid in Poipet", "2024-03-02")
    assert document.text == "Police raided a compound in Poipet on Friday.\n"
    assert any("lines 2-3 (title, published) were read as its fields" in str(issue) for issue in scan.issues)


def test_documents_in_a_folder_inside_the_seeds_folder_are_named_not_lost_silently(tmp_path):
    write_doc(tmp_path, "a.txt", "Police raided a compound in Poipet on Friday.\n")
    (tmp_path / "more").mkdir()
    write_doc(tmp_path / "more", "b.txt", "Police raided a casino in Bavet.\n")
    (tmp_path / "empty").mkdir()
    scan = scan_documents(tmp_path)
    assert [d.name for d in scan.documents] == ["a.txt"]
    assert [str(issue) for issue in scan.issues] == [
        f"{tmp_path / 'more'}: warning: a folder holding 1 document(s); documents in folders inside the seeds "
        "folder are not read"]
