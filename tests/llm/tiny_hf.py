"""Write a tiny random-weight Llama in Hugging Face format, for serving with vLLM in tests (< 1 MB).

Byte-level BPE tokenizer (256 byte symbols + ``<s>`` ``</s>``, no merges, so one token per byte) with a
chat template; ``LlamaForCausalLM`` with 2 layers, hidden 128, bf16 safetensors. Its output is noise:
only a grammar (vLLM structured outputs) makes it valid JSON, which is exactly what the test checks.
Runs where torch + transformers + tokenizers are installed (the vLLM virtual environment has them):

    HF_HUB_OFFLINE=1 python -m tests.llm.tiny_hf OUT_DIR [--max-len 8192]
"""

from __future__ import annotations

import argparse
from pathlib import Path

CHAT_TEMPLATE = (
    "{{ bos_token }}{% for m in messages %}<|{{ m['role'] }}|>\n{{ m['content'] }}\n{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>\n{% endif %}"
)


def write_tiny_llama(out_dir: str | Path, *, max_len: int = 8192, seed: int = 0) -> Path:
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    alphabet = sorted(pre_tokenizers.ByteLevel.alphabet())
    tok = Tokenizer(models.BPE(vocab={ch: i for i, ch in enumerate(alphabet)}, merges=[]))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.add_special_tokens(["<s>", "</s>"])
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>", pad_token="</s>")
    fast.chat_template = CHAT_TEMPLATE
    fast.model_max_length = max_len
    fast.save_pretrained(out)
    torch.manual_seed(seed)
    cfg = LlamaConfig(vocab_size=len(fast), hidden_size=128, intermediate_size=256, num_hidden_layers=2,
                      num_attention_heads=2, num_key_value_heads=2, max_position_embeddings=max_len,
                      bos_token_id=fast.bos_token_id, eos_token_id=fast.eos_token_id, tie_word_embeddings=False)
    LlamaForCausalLM(cfg).to(torch.bfloat16).save_pretrained(out)
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir")
    parser.add_argument("--max-len", type=int, default=8192)
    args = parser.parse_args()
    print("wrote", write_tiny_llama(args.out_dir, max_len=args.max_len))
