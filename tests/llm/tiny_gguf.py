"""Write a tiny random-weight llama GGUF (~0.5 MB) that gpt4all loads and runs; its output is noise.

Llama architecture, 2 layers, 64-wide, F32; a SentencePiece vocabulary with byte fallback: ``<unk> <s>
</s>``, the 256 ``<0xNN>`` byte tokens, printable ASCII and a few JSON pieces. Every token string must
be unique (a duplicate aborts llama.cpp at load). Deterministic for a seed. Needs ``pip install gguf``.

    python -m tests.llm.tiny_gguf OUT.gguf
"""

from __future__ import annotations

import sys
from pathlib import Path

PIECES = ["▁"] + [chr(c) for c in range(33, 127)] + ['{"', '":', '",', '"}', '▁"', "▁{", "0.", "true", "false", "null"]
CHAT_TEMPLATE = (
    "{{ bos_token }}{% for m in messages %}<|{{ m['role'] }}|>\n{{ m['content'] }}\n{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>\n{% endif %}"
)


def write_tiny_gguf(path: str | Path, *, seed: int = 0, n_embd: int = 64, n_head: int = 4, n_head_kv: int = 2,
                    n_ff: int = 128, n_layer: int = 2, n_ctx: int = 8192) -> Path:
    import gguf
    import numpy as np

    rng = np.random.default_rng(seed)
    tokens = ["<unk>", "<s>", "</s>"] + [f"<0x{i:02X}>" for i in range(256)] + PIECES
    if len(set(tokens)) != len(tokens):
        raise ValueError("duplicate token strings abort llama.cpp at load")
    kinds = gguf.TokenType
    types = [kinds.UNKNOWN, kinds.CONTROL, kinds.CONTROL] + [kinds.BYTE] * 256 + [kinds.NORMAL] * len(PIECES)
    scores = [0.0] * 259 + [float(len(p)) - i * 1e-3 for i, p in enumerate(PIECES)]
    head_dim = n_embd // n_head

    w = gguf.GGUFWriter(str(path), "llama")
    w.add_name("autoviz-tiny-random-llama")
    w.add_context_length(n_ctx)
    w.add_embedding_length(n_embd)
    w.add_block_count(n_layer)
    w.add_feed_forward_length(n_ff)
    w.add_head_count(n_head)
    w.add_head_count_kv(n_head_kv)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_rope_dimension_count(head_dim)
    w.add_rope_freq_base(10000.0)
    w.add_vocab_size(len(tokens))
    w.add_file_type(gguf.LlamaFileType.ALL_F32)
    w.add_tokenizer_model("llama")
    w.add_token_list(tokens)
    w.add_token_scores(scores)
    w.add_token_types(types)
    w.add_unk_token_id(0)
    w.add_bos_token_id(1)
    w.add_eos_token_id(2)
    w.add_add_bos_token(True)
    w.add_add_eos_token(False)
    w.add_chat_template(CHAT_TEMPLATE)

    def weights(*shape: int, scale: float = 0.02) -> "np.ndarray":  # numpy shape = ggml ne reversed
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    ones = lambda n: np.ones(n, dtype=np.float32)  # noqa: E731
    w.add_tensor("token_embd.weight", weights(len(tokens), n_embd))
    for i in range(n_layer):
        p = f"blk.{i}."
        w.add_tensor(p + "attn_norm.weight", ones(n_embd))
        w.add_tensor(p + "attn_q.weight", weights(n_embd, n_embd))
        w.add_tensor(p + "attn_k.weight", weights(head_dim * n_head_kv, n_embd))
        w.add_tensor(p + "attn_v.weight", weights(head_dim * n_head_kv, n_embd))
        w.add_tensor(p + "attn_output.weight", weights(n_embd, n_embd))
        w.add_tensor(p + "ffn_norm.weight", ones(n_embd))
        w.add_tensor(p + "ffn_gate.weight", weights(n_ff, n_embd))
        w.add_tensor(p + "ffn_up.weight", weights(n_ff, n_embd))
        w.add_tensor(p + "ffn_down.weight", weights(n_embd, n_ff))
    w.add_tensor("output_norm.weight", ones(n_embd))
    w.add_tensor("output.weight", weights(len(tokens), n_embd, scale=1.0))  # peaky logits
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return Path(path)


if __name__ == "__main__":
    print("wrote", write_tiny_gguf(sys.argv[1]))
