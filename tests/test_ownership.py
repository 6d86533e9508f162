"""Uploads belong to the person who made them: with sign-in, another person can neither list, retrieve, replace nor
remove them; shared library documents stay visible to all and removable by none."""

from __future__ import annotations

import shutil

import pytest

from assistant.ingest import uploads
from assistant.ingest.ownership import Ownership, user_key
from assistant.wiring import build
from conftest import CORPUS, make_settings

SECRET = ("Alice's district budget plan: the Zanzibar coaching initiative spends 40,000 dollars on instructional "
          "coaches for every middle school next year.\n")


@pytest.fixture
def services(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / "manifest.toml", corpus)
    shutil.copy(CORPUS / "coherence-capacity-framework.txt", corpus)
    s = build(make_settings(tmp_path, fake=True, corpus=corpus))
    s.ensure_index()
    return s


def _upload(services, tmp_path, owner: str, name: str = "budget.txt", text: str = SECRET):
    src = tmp_path / "incoming" / owner / name
    src.parent.mkdir(parents=True, exist_ok=True)
    src.write_text(text)
    report = uploads.add_uploads(services, [src], owner=owner)
    assert [r.status for r in report.results] == ["added"], report.results
    return report.results[0]


def test_user_keys_are_distinct_stable_and_folder_safe():
    keys = {user_key(u) for u in ("alice", "Alice", "../bob", "al ice", "中文")}
    assert len(keys) == 5 and user_key("alice") == user_key("alice") and user_key(None) == user_key("") == ""
    assert all("/" not in k and ".." not in k for k in keys)


def test_another_user_cannot_list_retrieve_or_remove_an_upload(services, tmp_path):
    alice, bob = user_key("alice"), user_key("bob")
    added = _upload(services, tmp_path, alice)
    assert [r.doc_id for r in uploads.uploaded_documents(services, alice)] == [added.doc_id]
    assert uploads.uploaded_documents(services, bob) == []
    assert added.doc_id not in {r.doc_id for r in uploads.visible_documents(services, bob)}
    # Retrieval and answers: Bob never sees Alice's passages, Alice does.
    query = "Zanzibar coaching initiative budget for instructional coaches"
    assert any(p.chunk.doc_id == added.doc_id for p in services.view_for("alice").search(query, k=5))
    assert all(p.chunk.doc_id != added.doc_id for p in services.view_for("bob").search(query, k=20))
    vec = services.retriever.embed_query(query)
    assert any(p.chunk.doc_id == added.doc_id for p in services.view_for("alice").nearest_sentences(vec, 50))
    assert all(p.chunk.doc_id != added.doc_id for p in services.view_for("bob").nearest_sentences(vec, 50))
    answer = services.answerer_for("bob").answer("How much does the Zanzibar coaching initiative spend?")
    assert all(c.chunk.doc_id != added.doc_id for c in answer.citations)
    assert all(p.chunk.doc_id != added.doc_id for p in answer.passages + answer.related)
    assert all("Zanzibar" not in f for f in services.view_for("bob").frameworks())
    # Reading it whole ("Open in document") and the Status tab's upload list: Alice's only.
    assert services.documents.open(added.doc_id, "bob") is None
    assert "Zanzibar" in services.documents.open(added.doc_id, "alice").text
    from assistant.app.tab_status import library_rows

    assert "Budget" not in str(library_rows(services, bob)) and "Budget" in str(library_rows(services, alice))
    # Removal by id, file name or title: to Bob the document does not exist.
    for key in (added.doc_id, added.stored_as, "Budget"):
        with pytest.raises(uploads.UploadRefused, match="not in the library"):
            uploads.remove_upload(services, key, owner=bob)
    assert uploads.remove_upload(services, added.doc_id, owner=alice).startswith("Removed")
    assert services.store.documents() and all(r.doc_id != added.doc_id for r in services.store.documents())


def test_same_file_name_from_two_users_keeps_both(services, tmp_path):
    a = _upload(services, tmp_path, user_key("alice"), text=SECRET)
    b = _upload(services, tmp_path, user_key("bob"), text="Bob's plan: principals meet their supervisors weekly to "
                                                          "review walkthrough evidence and set next steps.\n")
    assert a.doc_id != b.doc_id and a.stored_as == b.stored_as == "budget.txt"
    texts = {services.store.document_text(a.doc_id), services.store.document_text(b.doc_id)}
    assert any("Zanzibar" in t for t in texts) and any("Bob's plan" in t for t in texts)


def test_shared_uploads_are_visible_to_all_and_removable_only_without_sign_in(services, tmp_path):
    shared = _upload(services, tmp_path, "")
    bob = user_key("bob")
    assert shared.doc_id in {r.doc_id for r in uploads.visible_documents(services, bob)}
    with pytest.raises(uploads.UploadRefused, match="shared with everyone"):
        uploads.remove_upload(services, shared.doc_id, owner=bob)
    assert uploads.remove_upload(services, shared.doc_id, owner="").startswith("Removed")


def test_library_documents_are_nobodys_to_remove(services):
    doc = services.store.documents()[0]
    for owner in ("", user_key("alice")):
        with pytest.raises(uploads.UploadRefused, match="built-in"):
            uploads.remove_upload(services, doc.doc_id, owner=owner)


def test_ownership_follows_the_folder(tmp_path):
    o = Ownership(tmp_path / "uploads")
    assert o.owner(tmp_path / "corpus" / "a.txt") is None
    assert o.owner(tmp_path / "uploads" / "a.txt") == ""
    assert o.owner(tmp_path / "uploads" / "users" / "k1" / "a.txt") == "k1"
    assert o.visible(tmp_path / "uploads" / "users" / "k1" / "a.txt", "k1")
    assert not o.visible(tmp_path / "uploads" / "users" / "k1" / "a.txt", "k2")
    assert not o.removable(tmp_path / "corpus" / "a.txt", "")


def test_saved_work_is_keyed_by_person_as_well_as_browser():
    from types import SimpleNamespace

    from assistant.app.shell import UIContext
    from assistant.facilitation.session import _KEY

    browser = "0123456789abcdef0123456789abcdef"
    alice, bob = (SimpleNamespace(username=u, session_hash="s1") for u in ("alice", "bob"))
    assert UIContext.key(browser, None) == browser == UIContext.key(browser, SimpleNamespace(username=None))
    ka, kb = UIContext.key(browser, alice), UIContext.key(browser, bob)
    assert ka != kb and browser not in ka and _KEY.match(ka) and _KEY.match(kb)
    assert UIContext.key(None, alice) != UIContext.key(None, bob)  # API clients: by session, and by person
