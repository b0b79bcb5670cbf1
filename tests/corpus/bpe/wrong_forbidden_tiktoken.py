# expect: tiktoken
# why: leans on a library tokenizer
import tiktoken


def train_bpe(text, vocab_size):
    return []


def encode(text, merges):
    return tiktoken.get_encoding("gpt2").encode(text)


def decode(ids, merges):
    return tiktoken.get_encoding("gpt2").decode(ids)
