// Package tokenize is lesson 02 of the course: how text becomes the integer
// ids that a language model reads, and back.
//
// What the learner builds, each step on top of the last:
//
//   - characters, bytes and words (Chars, Bytes, SplitWhitespace, Words), and
//     Hangul syllables taken apart into jamo and put together again by
//     Unicode arithmetic (SplitSyllable, DecomposeHangul, ComposeHangul);
//   - byte-pair encoding trained from scratch, with every merge recorded so
//     that the notebook can show the first ones: the textbook way of Sennrich
//     et al. (TrainWordBPE), on characters (TrainCharBPE), and on bytes with
//     GPT-2's pre-tokenization (TrainBPE, SplitGPT2);
//   - WordPiece, BERT's greedy longest-match-first encoder with ## pieces and
//     [UNK] (NewWordPiece, TrainWordPiece);
//   - special tokens ([CLS], <|endoftext|>, ...) that are never split;
//   - a loader for Hugging Face tokenizer.json files (LoadHF) that gives the
//     same ids as the Hugging Face tokenizers library, with its truncation
//     and padding of batches and pairs of texts (EncodeBatch, EncodePairs:
//     ids, type ids, attention masks);
//   - the table of vocabulary size against sequence length, for Korean and
//     English (VocabStats, CompareVocabSizes).
//
// What the learner should take away: a tokenizer is a compression scheme
// learned from counts; byte-level BPE can encode any text but starts Korean at
// about 2.4 tokens per character (3 UTF-8 bytes per syllable) against 1 for
// English, and a bigger vocabulary buys shorter sequences with diminishing
// returns; character-level vocabularies need [UNK]; BERT's uncased
// normalizer splits every Hangul syllable into jamo (testdata's
// wordpiece_uncased.json shows it).
//
// A tiny example:
//
//	tok, _ := tokenize.TrainBPE("low lower lowest", 260)
//	ids := tok.Encode("lowest") // [257 101 115 116]: "low" "e" "s" "t"
//	text := tok.Decode(ids)     // "lowest" again
//
// Where things are: split.go and hangul.go (step 1); pretokenize.go (GPT-2's
// split); train.go (learning merges), bpetrain.go, bpe.go and merge.go
// (applying them), bytelevel.go; wordpiece.go; special.go; save.go;
// hfjson.go, hfnormalize.go, hfparts.go, hfmodels.go and hfbatch.go
// (tokenizer.json); vocabstats.go. bench/ times this package against the
// tokenizers library.
//
// Deliberately left out: Unigram (SentencePiece's other model) and WordLevel
// models, BPE dropout, offsets, the overflowing windows of a truncated
// text, and the many normalizers and pre-tokenizers of tokenizer.json that the course's
// reference files do not need (they are rejected with an error naming them).
// Training is single-threaded and keeps every distinct word in memory, which
// suits the course's corpora, not a web crawl.
package tokenize
