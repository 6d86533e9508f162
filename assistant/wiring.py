"""The composition root: builds every collaborator from Settings and passes each its collaborators; nothing else
constructs services or adapters. Everything is built on first use (the page and the CLI start before the model
loads) and once per `Services`.
"""

from __future__ import annotations

import dataclasses
import sys
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.config import AnswerSettings, Settings
from assistant.ingest.loaders import LoadError, LoadLimits, load_paths, read_manifest
from assistant.index.store import IndexStore, SyncReport
from assistant.ingest.ownership import Ownership, user_key
from assistant.offline import enforce_offline
from assistant.types import Document

if TYPE_CHECKING:  # the modules behind these load on first use
    from assistant.answering.engine import ExtractiveEngine
    from assistant.facilitation.chat import ChatFacilitator
    from assistant.facilitation.crosswalk import Crosswalker
    from assistant.facilitation.drafting import Drafter
    from assistant.facilitation.driver_suggestions import DriverSuggester
    from assistant.facilitation.finder import PracticeFinder
    from assistant.facilitation.library import Library
    from assistant.facilitation.planner import Planner
    from assistant.facilitation.review import Reviewer
    from assistant.facilitation.session import SessionStore
    from assistant.facilitation.teams import TeamRoom
    from assistant.facilitation.vectors import CurrentSpace
    from assistant.frameworks import Catalog
    from assistant.generation.backends.base import Generator
    from assistant.index.embeddings import Embedder
    from assistant.app.document_view import SourceDocuments
    from assistant.protocols import Answerer, FeedbackSink
    from assistant.retrieval.retriever import Retriever
    from assistant.retrieval.scoped import ScopedRetriever

PER_USER = 64  # signed-in people whose answer engines are kept built (the least recent is rebuilt on return)


@dataclass
class Services:
    """Everything the edges (CLI, app, eval suite) use, built once from Settings."""

    settings: Settings
    _per_user: OrderedDict = field(default_factory=OrderedDict, repr=False)
    _per_user_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    # ---- index and retrieval -------------------------------------------------------------------------------
    @cached_property
    def embedder(self) -> Embedder:
        """The configured embedder; the model loads on the first text embedded, not here."""
        from assistant.index.embeddings import DeferredEmbedder, FakeEmbedder, MiniLMEmbedder

        if self.settings.embedding.kind == "fake":
            return FakeEmbedder()
        return DeferredEmbedder(self._load_embedder, MiniLMEmbedder.model_id, MiniLMEmbedder.dim)

    def _load_embedder(self) -> Embedder:
        from assistant.index.embeddings import MiniLMEmbedder, bundled_model_path

        e = self.settings.embedding
        if e.kind == "minilm":
            return MiniLMEmbedder(e.model_path, threads=e.threads, batch_size=e.batch_size, max_tokens=e.max_tokens)
        from assistant.index.onnx_cache import OnnxModelFile
        from assistant.index.onnx_embedder import OnnxEmbedder

        folder = e.onnx_dir or self.settings.index.dir / "models"
        model_file = OnnxModelFile(e.model_path or bundled_model_path(), folder, build=e.onnx_build)
        return OnnxEmbedder(model_file, threads=e.threads, batch_size=e.batch_size, max_tokens=e.max_tokens)

    @cached_property
    def catalog(self) -> Catalog:
        from assistant.frameworks import build_catalog

        return build_catalog(self.settings.corpus.dir)

    @cached_property
    def splitter(self):
        from assistant.ingest.structured_chunks import structured_splitter

        return structured_splitter(self.catalog)

    @cached_property
    def store(self) -> IndexStore:
        from assistant.ingest.chunking import CHUNKER_VERSION

        def split(doc: Document):  # the catalog is parsed when something is indexed, not to serve a search
            return self.splitter(doc)

        from assistant.index.generations import locate

        # Folders under settings.index.dir, or the Chroma server at settings.index.chroma_url.
        return IndexStore(locate(self.settings.index), self.embedder, split, CHUNKER_VERSION)

    @cached_property
    def retriever(self) -> Retriever:
        from assistant.retrieval.retriever import RetrievalConfig, Retriever

        r = self.settings.retrieval
        cfg = RetrievalConfig(k=r.k, candidates=r.candidates, rrf_k=r.rrf_k, dense_weight=r.dense_weight,
                              bm25_weight=r.bm25_weight, boost=r.boost, phrase_weight=r.phrase_weight)
        return Retriever(self.store, self.embedder, cfg, known_words=self.known_words)

    @cached_property
    def known_words(self) -> frozenset[str]:
        """Real words never treated as typos: the embedding model's WordPiece vocabulary (empty without it)."""
        from assistant.index.embeddings import EmbeddingUnavailable, bundled_model_path
        from assistant.text.spelling import known_words

        try:
            folder = self.settings.embedding.model_path or bundled_model_path()
        except EmbeddingUnavailable:
            return frozenset()
        return known_words(folder / "vocab.txt")

    # ---- answers -------------------------------------------------------------------------------------------
    @cached_property
    def engine(self) -> ExtractiveEngine:
        """The extractive engine (the answerer itself by default; the fall-back of every generator)."""
        from assistant.answering.engine import ExtractiveEngine

        a, retriever, store = self.settings.answer, self.retriever, self.store
        return ExtractiveEngine(
            searcher=retriever, chunk_source=retriever, framework_names=retriever, query_embedder=retriever,
            term_weights=retriever, document_texts=store, sentence_vectors=store, index_version=retriever,
            catalog=self.catalog, embedder=self.embedder, max_chars=a.max_question_chars,
            max_sentences=a.max_sentences, k=self.settings.retrieval.k, practices=self.finder,
            sentence_search=retriever, corrector=retriever)

    @cached_property
    def answerer(self) -> Answerer:
        return build_answerer(self.settings.answer, self.engine)

    # ---- one person's view ---------------------------------------------------------------------------------
    @cached_property
    def ownership(self) -> Ownership:
        return Ownership(self.settings.corpus.uploads_dir)

    def view_for(self, username: str | None) -> ScopedRetriever:
        """Retrieval as this person sees it: the shared library and their own uploads."""
        return self._for_user(username)[0]

    def answerer_for(self, username: str | None) -> Answerer:
        """The answerer for this person: it searches only what they may see."""
        return self._for_user(username)[1]

    def _for_user(self, username: str | None):
        from assistant.retrieval.scoped import ScopedRetriever

        key = user_key(username)
        with self._per_user_lock:
            hit = self._per_user.get(key)
            if hit is not None:
                self._per_user.move_to_end(key)
                return hit
        ownership, store = self.ownership, self.store
        view = ScopedRetriever(self.retriever, store.documents, lambda records: ownership.hidden(records, key))
        engine = dataclasses.replace(self.engine, searcher=view, chunk_source=view, framework_names=view,
                                     sentence_search=view)
        built = (view, build_answerer(self.settings.answer, engine))
        with self._per_user_lock:
            self._per_user[key] = built
            while len(self._per_user) > PER_USER:
                self._per_user.popitem(last=False)
        return built

    # ---- facilitation --------------------------------------------------------------------------------------
    @cached_property
    def library(self) -> Library:
        from assistant.facilitation.library import Library

        return Library(self.catalog, self.store)

    @cached_property
    def item_spaces(self) -> CurrentSpace:
        from assistant.facilitation.vectors import CurrentSpace, ItemSpace

        store = self.store

        def generation() -> str | None:
            return store.generation if store.exists() else None

        def build():
            return ItemSpace(self.library, self.embedder, store if store.exists() else None)

        return CurrentSpace(build, generation)

    @cached_property
    def finder(self) -> PracticeFinder:
        from assistant.facilitation.finder import PracticeFinder

        return PracticeFinder(self.retriever, self.library, self.item_spaces)

    @cached_property
    def crosswalker(self) -> Crosswalker:
        from assistant.facilitation.crosswalk import Crosswalker

        return Crosswalker(self.library, self.item_spaces)

    @cached_property
    def drafter(self) -> Drafter:
        from assistant.facilitation.drafting import Drafter

        return Drafter(self.library, self.item_spaces, self.planner)

    @cached_property
    def planner(self) -> Planner:
        from assistant.facilitation.planner import Planner

        return Planner(self.library, self.item_spaces)

    @cached_property
    def driver_suggester(self) -> DriverSuggester:
        from assistant.facilitation.driver_suggestions import DriverSuggester

        return DriverSuggester(self.library, self.item_spaces)

    @cached_property
    def reviewer(self) -> Reviewer:
        from assistant.facilitation.review import Reviewer

        return Reviewer(self.library, self.drafter)

    @cached_property
    def sessions(self) -> SessionStore:
        """Per-browser state the chat and the tabs share and keep between visits (conversation, assessment,
        draft, self-assessment priorities): JSON files under settings.sessions.dir, or memory only."""
        from assistant.facilitation.session import SessionStore

        s = self.settings.sessions
        return SessionStore(s.dir if s.kind == "files" else None, max_browsers=s.max_browsers)

    @cached_property
    def teams(self) -> TeamRoom:
        from assistant.facilitation.teams import TeamRoom

        return TeamRoom(self.sessions)

    @cached_property
    def browser_secret(self) -> str:
        """The key the page encrypts its browser id with: kept beside the sessions, so ids survive a restart."""
        import secrets

        from assistant.facilitation.session import shared_secret

        s = self.settings.sessions
        return shared_secret(Path(s.dir) / ".browser-secret") if s.kind == "files" else secrets.token_hex(16)

    @cached_property
    def facilitator(self) -> ChatFacilitator:
        from assistant.facilitation.chat import ChatFacilitator

        return ChatFacilitator(self.library, self.finder, self.drafter, self.reviewer, self.retriever, self.sessions)

    # ---- the app's reading view and feedback ----------------------------------------------------------------
    @cached_property
    def documents(self) -> SourceDocuments:
        """Indexed documents as people read them ("open in document"): text, title and PDF pages."""
        from assistant.app.document_view import SourceDocuments

        def load(path: Path) -> Document | None:
            docs, _errors = self.load([path])
            return docs[0] if docs else None

        ownership = self.ownership
        return SourceDocuments(self.store, load, lambda path, user: ownership.visible(path, user_key(user)))

    @cached_property
    def feedback(self) -> FeedbackSink:
        """Where ratings of answers are kept (JSONL per user, or the in-memory fake)."""
        from assistant.feedback.log import FeedbackLog, MemoryFeedbackLog

        f = self.settings.feedback
        return MemoryFeedbackLog() if f.kind == "memory" else FeedbackLog(f.dir)

    # ---- the web server -----------------------------------------------------------------------------------
    @cached_property
    def signin_throttle(self):
        """Failed sign-ins counted per client (the app's HTTP guard refuses more than settings allow)."""
        from assistant.app.http_guard import SignInThrottle

        s = self.settings.server
        return SignInThrottle(attempts=s.signin_attempts, window_s=s.signin_window_s)

    # ---- corpus ------------------------------------------------------------------------------------------
    def corpus_folders(self) -> list[Path]:
        """Folders whose files make up the index: the framework corpus and the uploads folder."""
        folders = [self.settings.corpus.dir]
        if self.settings.corpus.uploads_dir.exists():
            folders.append(self.settings.corpus.uploads_dir)
        return folders

    def load(self, paths: list[Path]) -> tuple[list[Document], list[LoadError]]:
        """Load files (manifest metadata applies to corpus files), collecting per-file errors."""
        return load_paths(paths, read_manifest(self.settings.corpus.dir), self.load_limits())

    def load_limits(self) -> LoadLimits:
        """What reading one file may cost, from settings.corpus."""
        c = self.settings.corpus
        return LoadLimits(max_bytes=int(c.max_file_mb * 2**20), max_pages=c.max_pdf_pages, max_chars=c.max_text_chars,
                          max_parts=c.max_docx_parts, max_unpacked=int(c.max_unpacked_mb * 2**20))

    def ingest(self, paths: list[Path] | None = None, progress=None) -> tuple[SyncReport, list[LoadError]]:
        """Index `paths` (default: corpus + uploads, removing files that disappeared from those folders)."""
        folders = self.corpus_folders() if not paths else [Path(p) for p in paths]
        docs, errors = self.load(folders)
        scope = [f for f in folders if Path(f).is_dir()]
        if not docs and not scope:  # only files were named and none could be read: nothing to change
            return SyncReport(), errors
        report = self.store.sync(docs, scope=scope, progress=progress)
        for clash in report.clashes:  # reported like any file that could not be indexed
            source, _, reason = clash.partition(": ")
            errors.append(LoadError(source, reason))
        return report, errors

    def ensure_index(self, progress=None) -> SyncReport | None:
        """Build the default index when it is missing or was built by another model/chunker; else do nothing."""
        if self.store.exists() and self.store.compatible():
            return None
        report, errors = self.ingest(progress=progress)
        for e in errors:
            print(f"skipped {e}", file=sys.stderr)
        return report


def build(settings: Settings) -> Services:
    """Services for these settings (adapters load lazily on first use)."""
    enforce_offline()
    return Services(settings)


def build_generator(a: AnswerSettings) -> Generator:
    """The generator named by settings.answer.backend (raises GeneratorError when misconfigured)."""
    if a.backend == "openai":
        from assistant.generation.backends.openai_compat import OpenAICompatible

        return OpenAICompatible(a.base_url, a.model, a.api_key, a.timeout_s, a.temperature)
    if a.backend == "ollama":
        from assistant.generation.backends.ollama import Ollama

        return Ollama(a.model, a.base_url, a.timeout_s, a.temperature)
    if a.backend == "llamacpp":
        from assistant.generation.backends.llamacpp import LlamaCpp

        return LlamaCpp(a.gguf_path, a.temperature)
    if a.backend == "fake":
        from assistant.generation.backends.fake import FakeGenerator

        return FakeGenerator()
    from assistant.generation.backends.base import GeneratorError

    raise GeneratorError(f"unknown answer backend {a.backend!r}")


def build_answerer(a: AnswerSettings, engine: ExtractiveEngine) -> Answerer:
    """The configured answerer: the extractive engine, a generator wrapped around it, or — when the generator
    cannot be built — the extractive engine with a standing notice saying why."""
    if a.backend == "extractive":
        return engine
    from assistant.generation.backends.base import GeneratorError
    from assistant.generation.engine import FallbackEngine, GenerativeEngine

    try:
        return GenerativeEngine(engine, build_generator(a))
    except GeneratorError as exc:
        return FallbackEngine(engine, str(exc))


def terminal_progress():
    """A tqdm progress callback for terminals (stderr); tqdm is imported when there is progress to show."""
    bar = {"bar": None}

    def update(stage: str, done: int, total: int) -> None:
        if bar["bar"] is None:
            from tqdm import tqdm

            bar["bar"] = tqdm(total=total, desc=f"Indexing ({stage})", unit="passage", file=sys.stderr)
        b = bar["bar"]
        b.total = total
        b.n = done
        b.refresh()
        if done >= total:
            b.close()
            bar["bar"] = None

    return update
