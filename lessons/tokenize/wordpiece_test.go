package tokenize

import (
	"reflect"
	"strings"
	"testing"
)

func TestWordPieceGreedy(t *testing.T) {
	vocab := []string{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "un", "##aff", "##able", "a", "##ff", "!", "영화", "##는", "영", "##화"}
	tok, err := NewWordPiece(vocab)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in   string
		want []string
	}{
		{"unaffable", []string{"un", "##aff", "##able"}}, // longest match first: ##aff, not ##a...
		{"unaffable!", []string{"un", "##aff", "##able", "!"}},
		{"영화는", []string{"영화", "##는"}},                       // 영화 is longer than 영
		{"unfit", []string{"[UNK]"}},                         // "##f" then "it": no piece fits, so the whole word is [UNK]
		{"[CLS] 영화 [SEP]", []string{"[CLS]", "영화", "[SEP]"}}, // special tokens are atomic
		{"a[MASK]a", []string{"a", "[MASK]", "a"}},
		{strings.Repeat("a", MaxCharsPerWord+1), []string{"[UNK]"}}, // too long
		{"", nil},
	}
	for _, tt := range tests {
		if got := Pieces(tok, tt.in); !reflect.DeepEqual(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
			t.Errorf("Pieces(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := tok.Decode(tok.Encode("unaffable! 영화는")); got != "unaffable ! 영화는" {
		t.Errorf("Decode = %q", got)
	}
	if _, err := NewWordPiece([]string{"a", "b"}); err == nil || !strings.Contains(err.Error(), "[UNK]") {
		t.Errorf("NewWordPiece without [UNK]: err = %v", err)
	}
	if _, err := NewWordPiece([]string{"[UNK]", "a", "a"}); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("NewWordPiece with a duplicate: err = %v", err)
	}
}

func TestTrainWordPiece(t *testing.T) {
	text := strings.Repeat("영화가 정말 재밌어요! 재밌는 영화. playing played player plays\n", 20)
	tok, err := TrainWordPiece(text, 120)
	if err != nil {
		t.Fatal(err)
	}
	vocab := tok.Vocab()
	if !reflect.DeepEqual(vocab[:5], BERTSpecialTokens) {
		t.Errorf("first tokens %q, want %q", vocab[:5], BERTSpecialTokens)
	}
	for _, want := range []string{"영화", "##밌", "play", "##s"} {
		if tok.model.ids[want] == 0 {
			t.Errorf("vocabulary lacks %q", want)
		}
	}
	if got := Pieces(tok, "재밌는 playing"); len(got) > 4 {
		t.Errorf("Pieces = %q, want frequent words in few pieces", got)
	}
	// Decode gives the words back, joined by single spaces.
	for _, s := range []string{"영화가 정말 재밌어요 !", "plays played"} {
		if got := tok.Decode(tok.Encode(s)); got != s {
			t.Errorf("Decode(Encode(%q)) = %q", s, got)
		}
	}
	if _, err := TrainWordPiece(text, 10); err == nil || !strings.Contains(err.Error(), "base tokens") {
		t.Errorf("TrainWordPiece(10): err = %v", err)
	}
}

func TestWordPieceOffsets(t *testing.T) {
	vocab := []string{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "un", "##aff", "##able", "!", "영화", "##는", "영", "##화"}
	tok, err := NewWordPiece(vocab)
	if err != nil {
		t.Fatal(err)
	}
	text := " unaffable! 영화는 unfit[SEP]영"
	ids, offsets := tok.EncodeOffsets(text)
	if !reflect.DeepEqual(ids, tok.Encode(text)) {
		t.Fatalf("EncodeOffsets ids %v, Encode %v", ids, tok.Encode(text))
	}
	var spans []string
	for _, o := range offsets {
		spans = append(spans, text[o[0]:o[1]])
	}
	want := []string{"un", "aff", "able", "!", "영화", "는", "unfit", "[SEP]", "영"} // [UNK] covers its whole word
	if !reflect.DeepEqual(spans, want) {
		t.Errorf("offsets cover %q, want %q", spans, want)
	}
}

func TestWordPieceOffsetsTrained(t *testing.T) {
	text := "이 영화 정말 재밌다! 배우들의 연기가 최고였어요.\n돈이 아깝다... 다시는 안 본다 ㅋㅋ"
	tok, err := TrainWordPiece(strings.Repeat(text+"\n", 3), 120)
	if err != nil {
		t.Fatal(err)
	}
	ids, offsets := tok.EncodeOffsets(text)
	for i, id := range ids {
		piece := strings.TrimPrefix(tok.Token(id), "##")
		if got := text[offsets[i][0]:offsets[i][1]]; got != piece && id != tok.ID(UnknownToken) {
			t.Errorf("token %d %q covers %q", i, tok.Token(id), got)
		}
		if i > 0 && offsets[i][0] < offsets[i-1][1] {
			t.Errorf("token %d starts at %d, before the end of token %d (%d)", i, offsets[i][0], i-1, offsets[i-1][1])
		}
	}
}
