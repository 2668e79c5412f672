"""zeromodels: does BaseGeneration.generate_step ever reach BaseSeq2SeqGeneration.build_cache, and what does
_ensure_decode_layers (the flagged 'side effect') do across calls of the compiled generate function?
Tiny random-weight Moonshine model, TF backend, the package's own generate path (tf.function, jit_compile)."""
import os, sys
from pathlib import Path
os.environ["KERAS_BACKEND"] = "tensorflow"
sys.path.insert(0, str(Path(__file__).resolve().parents[3] / ".corpus" / "zeromodels"))  # bench/corpus.py fetches it
import numpy as np, tensorflow as tf
import types, importlib.abc, importlib.machinery
class _Stub(importlib.abc.MetaPathFinder, importlib.abc.Loader):   # stand-ins for hub/tokenizer deps not installed here
    NAMES = ("huggingface_hub", "safetensors", "tokenizers", "sentencepiece", "transformers", "PIL", "scipy", "regex", "requests", "tqdm", "librosa", "soundfile", "ftfy", "matplotlib", "cv2", "einops")
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in self.NAMES:
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
    def create_module(self, spec):
        m = types.ModuleType(spec.name); m.__path__ = []
        m.__getattr__ = lambda attr: type(attr, (), {"__init__": lambda *a, **k: None})
        return m
    def exec_module(self, m): pass
sys.meta_path.append(_Stub())
from zeromodels.models.moonshine.moonshine_model import MoonshineConditionalGenerate
from zeromodels.base.base_generation import BaseGeneration
from zeromodels.base.base_seq2seq_generation import BaseSeq2SeqGeneration

C = MoonshineConditionalGenerate
print("generate_step resolves to:", C.generate_step.__qualname__)
print("build_cache resolves to:", C.build_cache.__qualname__)
print("BaseGeneration.generate_step is overridden for seq2seq:", C.generate_step is not BaseGeneration.generate_step)

calls = {"ensure": 0, "ensure_work": 0}
orig = C._ensure_decode_layers
def counting(self):
    calls["ensure"] += 1
    if getattr(self, "_dec_blocks", None) is None:
        calls["ensure_work"] += 1
    return orig(self)
C._ensure_decode_layers = counting
import inspect
m = C(hidden_dim=32, encoder_num_layers=1, decoder_num_layers=1, encoder_attention_heads=2,
      decoder_attention_heads=2, encoder_ffn_dim=32, decoder_ffn_dim=32, vocab_size=50,
      max_position_embeddings=40)
audio = np.random.RandomState(0).randn(1, 4000).astype("float32")
ids = np.ones((1, 1), "int32")
for i in range(3):
    out = BaseSeq2SeqGeneration.generate(m, audio, ids, max_new_tokens=5, eos_token_id=2)
    print(f"call {i}: out shape {tuple(out.shape)}; _ensure_decode_layers calls so far {calls['ensure']}, "
          f"ones that did work {calls['ensure_work']}; _dec_embed is the decoder layer:",
          m._dec_embed is m.decoder.get_layer('decoder_embed_tokens'))

# Same model object run eagerly (what the generate_step would do on every call without tf.function):
calls.update(ensure=0, ensure_work=0)
m2 = C(hidden_dim=32, encoder_num_layers=1, decoder_num_layers=1, encoder_attention_heads=2,
       decoder_attention_heads=2, encoder_ffn_dim=32, decoder_ffn_dim=32, vocab_size=50,
       max_position_embeddings=40)
ga = m2.resolve_generation_args(5, 2, None, None)
for i in range(3):
    m2.generate_step(audio, ids, m2.draw_noise(ga[2], 5, 1, None), 5, ga[1], ga[2])
    print(f"eager call {i}: _ensure_decode_layers calls {calls['ensure']}, ones that did work {calls['ensure_work']}")
