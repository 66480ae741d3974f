package tokenize_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/baeum-go/baeum/lessons/tokenize"
	"github.com/baeum-go/baeum/mlx"
)

func ExampleChars() {
	fmt.Printf("%q\n", tokenize.Chars("한글 ok"))
	// Output: ["한" "글" " " "o" "k"]
}

func ExampleBytes() {
	fmt.Println(tokenize.Bytes("한a"))
	// Output: [237 149 156 97]
}

func ExampleSplitWhitespace() {
	fmt.Printf("%q\n", tokenize.SplitWhitespace(" 안녕,  세계! "))
	// Output: ["안녕," "세계!"]
}

func ExampleWords() {
	fmt.Printf("%q\n", tokenize.Words("안녕, 세계! don't"))
	// Output: ["안녕" "," "세계" "!" "don" "'" "t"]
}

func ExampleSplitSyllable() {
	l, v, t, ok := tokenize.SplitSyllable('한')
	fmt.Printf("%U %U %U %v\n", l, v, t, ok)
	// Output: U+1112 U+1161 U+11AB true
}

func ExampleJoinSyllable() {
	s, ok := tokenize.JoinSyllable(0x1112, 0x1161, 0x11AB)
	fmt.Printf("%c %v\n", s, ok)
	// Output: 한 true
}

func ExampleDecomposeHangul() {
	jamo := tokenize.DecomposeHangul("한글")
	fmt.Println(len([]rune("한글")), "syllables ->", len([]rune(jamo)), "jamo")
	fmt.Printf("%+q\n", jamo)
	// Output:
	// 2 syllables -> 6 jamo
	// "\u1112\u1161\u11ab\u1100\u1173\u11af"
}

func ExampleComposeHangul() {
	fmt.Println(tokenize.ComposeHangul("\u1112\u1161\u11ab\u1100\u1173\u11af"))
	// Output: 한글
}

func ExampleCompatibilityJamo() {
	fmt.Println(tokenize.CompatibilityJamo("닭갈비"))
	// Output: ㄷㅏㄺㄱㅏㄹㅂㅣ
}

func ExampleSplitGPT2() {
	fmt.Printf("%q\n", tokenize.SplitGPT2("I'm here  now! 안녕 2024"))
	// Output: ["I" "'m" " here" " " " now" "!" " 안녕" " 2024"]
}

func ExampleByteLevelString() {
	fmt.Println(tokenize.ByteLevelString(" the"), tokenize.ByteLevelString("한"))
	// Output: Ġthe íķľ
}

// The toy corpus of Sennrich et al. (2016): the first merges build "est</w>",
// the ending shared by "newest" and "widest".
func ExampleTrainWordBPE() {
	corpus := strings.Repeat("low ", 5) + strings.Repeat("lower ", 2) + strings.Repeat("newest ", 6) + strings.Repeat("widest ", 3)
	tok, _ := tokenize.TrainWordBPE(corpus, 5)
	for _, m := range tok.Merges {
		fmt.Println(m)
	}
	fmt.Printf("%q\n", tokenize.Pieces(tok, "lowest"))
	// Output:
	// "e" + "s" -> "es" (9)
	// "es" + "t" -> "est" (9)
	// "est" + "</w>" -> "est</w>" (9)
	// "l" + "o" -> "lo" (7)
	// "lo" + "w" -> "low" (7)
	// ["low" "est</w>"]
}

func ExampleTrainBPE() {
	tok, _ := tokenize.TrainBPE("안녕 안녕 안녕하세요 hello hello", 262)
	for _, m := range tok.Merges[:3] {
		fmt.Println(m)
	}
	ids := tok.Encode("안녕 hello")
	fmt.Println(ids, tok.Decode(ids))
	// Output:
	// "\xec" + "\x95" -> "\xec\x95" (3)
	// "\xec\x95" + "\x88" -> "안" (3)
	// "안" + "\xeb" -> "안\xeb" (3)
	// [260 32 104 101 108 108 111] 안녕 hello
}

func ExampleTrainCharBPE() {
	tok, _ := tokenize.TrainCharBPE("안녕 안녕 안녕하세요", 12)
	fmt.Println(tok.VocabSize(), tok.Merges[0])
	fmt.Printf("%q\n", tokenize.Pieces(tok, "안녕하세요 녕"))
	fmt.Println(tok.Encode("영")) // never seen: [UNK]
	// Output:
	// 9 "안" + "녕" -> "안녕" (3)
	// ["안녕" "하" "세" "요" " " "녕"]
	// [0]
}

func ExampleBPE_AddSpecialTokens() {
	tok, _ := tokenize.TrainBPE("hello hello world", 260)
	tok.AddSpecialTokens("<|endoftext|>")
	ids := tok.Encode("hello<|endoftext|>world")
	fmt.Println(ids, tok.VocabSize())
	fmt.Printf("%q\n", tokenize.Pieces(tok, "hello<|endoftext|>world"))
	// Output:
	// [259 260 119 111 114 108 100] 261
	// ["hello" "<|endoftext|>" "w" "o" "r" "l" "d"]
}

func ExamplePieces() {
	tok, _ := tokenize.NewWordPiece([]string{"[UNK]", "un", "##aff", "##able", "!"})
	fmt.Printf("%q\n", tokenize.Pieces(tok, "unaffable! unfit"))
	// Output: ["un" "##aff" "##able" "!" "[UNK]"]
}

func ExampleNewWordPiece() {
	tok, _ := tokenize.NewWordPiece([]string{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "영화", "##는", "재밌", "##다", "."})
	ids := tok.Encode("[CLS] 영화는 재밌다. [SEP]")
	fmt.Println(ids)
	fmt.Println(tok.Decode(ids))
	// Output:
	// [2 5 6 7 8 9 3]
	// [CLS] 영화는 재밌다 . [SEP]
}

func ExampleTrainWordPiece() {
	text := strings.Repeat("영화가 재밌어요. 영화는 재밌다. playing played plays\n", 10)
	tok, _ := tokenize.TrainWordPiece(text, 50)
	fmt.Printf("%q\n", tokenize.Pieces(tok, "영화가 재밌다 playing replay"))
	// Output: ["영화" "##가" "재밌" "##다" "play" "##i" "##n" "##g" "[UNK]"]
}

func ExampleBPE_Save() {
	tok, _ := tokenize.TrainBPE("low lower lowest", 260)
	path := filepath.Join(os.TempDir(), "baeum-example-bpe.json")
	defer os.Remove(path)
	if err := tok.Save(path); err != nil {
		fmt.Println(err)
		return
	}
	back, err := tokenize.Load(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(back.Encode("lowest"), tok.Encode("lowest"))
	// Output: [257 101 115 116] [257 101 115 116]
}

func ExampleLoad() {
	path := filepath.Join(os.TempDir(), "baeum-example-broken.json")
	defer os.Remove(path)
	os.WriteFile(path, []byte(`{"format": "baeum-tokenizer", "version": 1, "type": "bpe", "level": "bytes", "merges": [[1, 999, 0]]}`), 0o644)
	_, err := tokenize.Load(path)
	fmt.Println(strings.TrimPrefix(err.Error(), "tokenize: "+path+": "))
	// Output: merge 0 joins tokens 1 and 999, but only ids 0..255 exist before it
}

func ExampleLoadHF() {
	tok, err := tokenize.LoadHF("testdata/wordpiece_cased.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	ids := tok.Encode("이 영화 정말 재밌어요!")
	fmt.Println(ids)
	fmt.Printf("%q\n", tokenize.Pieces(tok, "이 영화 정말 재밌어요!"))
	fmt.Println(tok.Decode(ids))
	// Output:
	// [2 378 991 1021 1716 5 3]
	// ["[CLS]" "이" "영화" "정말" "재밌어요" "!" "[SEP]"]
	// 이 영화 정말 재밌어요!
}

func ExampleParseHF() {
	_, err := tokenize.ParseHF([]byte(`{"model": {"type": "Unigram", "vocab": []}}`))
	fmt.Println(err)
	// Output: tokenize: tokenizer.json uses the model "Unigram", which this lesson does not implement (supported: BPE, WordPiece)
}

func ExampleHFTokenizer_EncodeNoTemplate() {
	tok, _ := tokenize.LoadHF("testdata/bytelevel_bpe.json")
	ids := tok.EncodeNoTemplate("Hello, 세계!")
	fmt.Println(ids)
	fmt.Printf("%q\n", tokenize.Pieces(tok, "Hello, 세계!"))
	fmt.Println(tok.Decode(ids))
	// Output:
	// [40 1251 79 12 2610 1]
	// ["H" "ell" "o" "," "ĠìĦ¸ê³Ħ" "!"]
	// Hello, 세계!
}

func ExampleHFTokenizer_EncodeBatch() {
	tok, _ := tokenize.LoadHF("testdata/wordpiece_cased.json")
	tok, _ = tok.WithPadding(&tokenize.Padding{Strategy: tokenize.BatchLongest, Direction: tokenize.DirectionRight, PadID: 0})
	rows, _ := tok.EncodeBatch([]string{"이 영화 정말 재밌어요!", "정말"})
	for _, r := range rows {
		fmt.Println(r.IDs, r.AttentionMask)
	}
	// Output:
	// [2 378 991 1021 1716 5 3] [1 1 1 1 1 1 1]
	// [2 1021 3 0 0 0 0] [1 1 1 0 0 0 0]
}

func ExampleHFTokenizer_EncodePairs() {
	tok, _ := tokenize.LoadHF("testdata/wordpiece_cased.json") // [CLS] $A [SEP] $B:1 [SEP]:1
	rows, _ := tok.EncodePairs([][2]string{{"정말", "재밌어요!"}})
	fmt.Println(rows[0].IDs, rows[0].TypeIDs)
	// Output: [2 1021 3 1716 5 3] [0 0 0 1 1 1]
}

func ExampleHFTokenizer_WithTruncation() {
	tok, _ := tokenize.LoadHF("testdata/wordpiece_cased.json")
	short, _ := tok.WithTruncation(&tokenize.Truncation{MaxLength: 4, Strategy: tokenize.LongestFirst, Direction: tokenize.DirectionRight})
	fmt.Println(tok.Encode("이 영화 정말 재밌어요!"))
	fmt.Println(short.Encode("이 영화 정말 재밌어요!")) // room for 2 ids between [CLS] and [SEP]
	// Output:
	// [2 378 991 1021 1716 5 3]
	// [2 378 991 3]
}

func ExampleHFTokenizer_Truncation() {
	tok, _ := tokenize.LoadHF("testdata/wordpiece_cased.json")
	fmt.Println(tok.Truncation() == nil, tok.Padding() == nil) // this file sets neither
	tok, _ = tok.WithTruncation(&tokenize.Truncation{MaxLength: 128, Strategy: tokenize.LongestFirst, Direction: tokenize.DirectionRight})
	fmt.Printf("%+v\n", *tok.Truncation())
	// Output:
	// true true
	// {MaxLength:128 Strategy:LongestFirst Stride:0 Direction:Right}
}

func ExampleVocabStats() {
	text := strings.Repeat("the cat sat on the mat\n", 50) + strings.Repeat("고양이가 매트 위에 앉았다\n", 50)
	rows, _ := tokenize.VocabStats("toy", text, []int{256, 270, 300})
	for _, r := range rows {
		fmt.Println(r)
	}
	// Output:
	// toy vocab    256: 2.467 tokens/char
	// toy vocab    270: 2.267 tokens/char
	// toy vocab    299: 0.333 tokens/char
}

// The numbers below were measured on the shared data folder's corpus and, in
// the second column of each mlx.Golden, on the subset the course derives from
// NSMC's canonical files (mlx/nsmc.go); either may be the one in use.

func TestCompareVocabSizes(t *testing.T) {
	rows, err := tokenize.CompareVocabSizes([]int{256, 1000, 4000}, 300_000)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, fmt.Sprint(r))
	}
	want := []string{
		"ko  vocab    256: 2.415 tokens/char",
		mlx.Golden("nsmc/corpus_ko.txt", "ko  vocab   1000: 0.836 tokens/char", "ko  vocab   1000: 0.847 tokens/char"),
		mlx.Golden("nsmc/corpus_ko.txt", "ko  vocab   4000: 0.579 tokens/char", "ko  vocab   4000: 0.592 tokens/char"),
		"en  vocab    256: 1.000 tokens/char",
		"en  vocab   1000: 0.420 tokens/char",
		"en  vocab   4000: 0.306 tokens/char",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestCorpus(t *testing.T) {
	ko, err := tokenize.Corpus("ko", 200)
	if err != nil {
		t.Fatal(err)
	}
	want := mlx.Golden("nsmc/corpus_ko.txt", "기대를 저버리지않았음 인정\n괜찮은 영화라고 생각함 거기에 비해서 평점이 너무 낮은듯",
		"그냥 프로그램 내려라 없는게 낫다\nㅋㅋㅋㅋ 버스 씬 진짜 그냥 돈아까워서 끝까지 봤따.")
	if !strings.HasPrefix(ko, want) {
		t.Errorf("Corpus(ko, 200) = %q, want it to start with %q", ko, want)
	}
}

func TestCheckParity(t *testing.T) {
	lines, err := tokenize.HeldOutLines()
	if err != nil {
		t.Fatal(err)
	}
	p, err := tokenize.CheckParity("testdata", lines)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("tokenizers 0.23.3: 184 of 184 reference cases identical (ids, tokens, decoded text); "+
		"held-out corpus: %d ids, SHA-256 identical for 4 of 4 tokenizers", mlx.Golden("nsmc/corpus_ko.txt", 2541928, 2592698))
	if got := p.String(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func ExampleNewCharVocab() {
	v := tokenize.NewCharVocab("hello", 0, "[UNK]")
	ids, _ := v.Encode("hole!")
	fmt.Println(v.Size(), v.Tokens(), ids, v.Decode(ids))
	// Output: 5 [[UNK] l e h o] [3 4 1 2 0] hole[UNK]
}

func ExampleCountPairs() {
	counts := tokenize.CountPairs([]int{1, 2, 3, 1, 2})
	fmt.Println(counts[[2]int{1, 2}], counts[[2]int{2, 3}], counts[[2]int{3, 1}], len(counts))
	// Output: 2 1 1 3
}

func ExampleMergePair() {
	fmt.Println(tokenize.MergePair([]int{1, 2, 3, 1, 2}, [2]int{1, 2}, 4))
	// Output: [4 3 4]
}
