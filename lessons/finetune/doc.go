// Package finetune is lesson 08: supervised fine-tuning of lesson 07's
// pretrained BERT (lessons/pretrain) on labelled examples, beside the same
// network trained from random initialization and simple baselines.
//
//   - Sentiment (NSMC movie reviews, LoadNSMC): the pooled [CLS] vector
//     (BERT's pooler, Dense-tanh, pretrained by next-sentence prediction)
//     through one Dense layer (classify, TrainClassifier); the whole
//     network fine-tuned, or the encoder frozen (Start.Freeze); beside a
//     bag-of-words logistic regression (BagOfWords).
//   - Entailment (KorNLI, LoadKorNLI): premise and hypothesis packed as
//     [CLS] A [SEP] B [SEP] with segment ids (Pack), three classes.
//   - Extractive question answering (LoadFAQQA: questions this course
//     wrote for the Korean Debian FAQ, faqqa/README.md): the question and a
//     window of the paragraph (Windows, doc stride), a start and an end
//     logit per position (spanLogits), the best span with end >= start and
//     a maximum length (DecodeSpan), scored with SQuAD's exact match and F1
//     and KorQuAD's character F1 (ExactMatch, F1, CharF1), beside a
//     word-overlap sliding window (OverlapAnswer). The pretrained reader is
//     saved (Reader.SaveAsCheckpoint, LoadOrTrainReader) for lesson 15,
//     which reads the passages it retrieves with it.
//
// Sequences longer than pretraining's 32 positions get a position table
// lengthened by repetition (ExtendPositions).
//
// What pretraining bought, measured on 2 cores (the notebook's
// configurations, seed 1; runs are repeatable on one machine): nothing on
// sentiment (pretrained 80.3-80.7% over the configurations tried, random
// initialization 80.8%, bag of words 76.0%) and nothing on entailment (47%
// vs 49-51%), but a gain on question answering, where the pretrained reader
// fits the training questions faster (last batch loss 1.2 vs 1.7 after 150
// steps) and does better on the held-out pages (exact match 10.7% vs 5.6%,
// F1 24.7% vs 19.8%; the overlap baseline 8.2% and 19.6%). With lesson 07's
// encoder frozen, sentiment falls to 62%. Also tried, with no gain from
// pretraining on sentiment: 3,000 pretraining steps instead of 1,000
// (masked-token accuracy 28% instead of 17%), an output layer tied to the
// embeddings, fine-tuning learning rates from 1e-4 to 3e-3, a fresh
// pooler, copying only the embeddings or only the block, mean pooling
// instead of [CLS], and 2,000 or 5,000 labelled reviews instead of 40,000
// (where the pretrained start was 2-5 points worse). Lesson 07 pretrains
// on about as many tokens as these 40,000 reviews hold, for a minute and a
// half; BERT's advantage came from pretraining thousands of times larger.
package finetune
