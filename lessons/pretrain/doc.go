// Package pretrain is lesson 07: the three pretraining objectives that made
// GPT and BERT, on the Transformer of lesson 06 (lessons/transformer).
//
//   - Causal language modelling (GPT): predict every next character of
//     Shakespeare with transformer.DecoderOnly, in nanoGPT's CPU
//     configuration (NanoGPTConfig, TrainGPT), then write new text with a
//     host-side sampling loop, temperature and top-k (Generate, Sample).
//   - Masked language modelling (BERT): hide 15% of the tokens of Korean
//     movie reviews, tokenized with lesson 02's WordPiece (LoadCorpus), 80%
//     behind [MASK], 10% behind a random token, 10% unchanged (Mask), and
//     predict them with an encoder (Encode, TrainBERT); then fill blanks in
//     sentences (FillMasks, HeldOutExamples).
//   - Next-sentence prediction (BERT): is the second part of a pair the true
//     continuation of the first, or the end of another document, a review or
//     a page of lesson 01's Korean Debian FAQ (NextSentencePair, Pack)?
//     Trained together with the masked LM, as BERT was; the evaluation
//     separates random pairs from the other corpus (easy: the topic differs)
//     from those of the same corpus (hard), which is why later models dropped
//     NSP.
//
// Both models are saved (GPT.Save, BERT.Save) for the fine-tuning lesson.
//
//	g, _ := pretrain.TrainGPT(backend, shakespeare, pretrain.NanoGPTConfig())
//	text, _ := g.Generate(backend, "ROMEO:", 200, 0.8, 10, 1)
//
// Deliberately left out: subword tokenization for the GPT (characters, as
// nanoGPT's shakespeare_char), whole-word masking, BERT's static
// pre-computed masks (masks are drawn anew for every batch, as RoBERTa does),
// BERT's tied output layer and its Dense-GELU-LayerNorm transform (see
// bertHeads), mixed precision, and key/value caches for generation.
package pretrain
