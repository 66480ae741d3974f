package tokenize

import (
	"encoding/hex"
	"reflect"
	"strings"
	"testing"
)

// TestSplitGPT2Table spells out the GPT-2 pattern's behaviour on the cases
// that a hand-written splitter gets wrong most easily. Each want was checked
// against Python's regex module with the pattern (see testdata/reference.json,
// which TestSplitGPT2Reference compares in bulk).
func TestSplitGPT2Table(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"a", []string{"a"}},
		{"Hello world", []string{"Hello", " world"}},
		{"I'm sure they've", []string{"I", "'m", " sure", " they", "'ve"}},
		{"DON'T", []string{"DON", "'", "T"}},         // contractions are lower case only
		{"!'s", []string{"!'", "s"}},                 // the punctuation run swallows the quote
		{" 's", []string{" '", "s"}},                 // a space before a quote joins the quote
		{"it\u2019s", []string{"it", "\u2019", "s"}}, // a curly quote is not a contraction
		{"in 2024, 3.14", []string{"in", " 2024", ",", " 3", ".", "14"}},
		{"a  b", []string{"a", " ", " b"}},         // the last space goes to the word
		{"a   b", []string{"a", "  ", " b"}},       // ...whatever the run length
		{"end  ", []string{"end", "  "}},           // trailing white space stays whole
		{"a\nb", []string{"a", "\n", "b"}},         // a lone newline is not a space
		{"a\n\nb", []string{"a", "\n", "\n", "b"}}, // \s+(?!\S) gives one back
		{"a \nb", []string{"a", " ", "\n", "b"}},   // space then newline
		{"안녕하세요 세계", []string{"안녕하세요", " 세계"}},     // Hangul syllables are letters
		{"ㅋㅋㅋ!!", []string{"ㅋㅋㅋ", "!!"}},           // so are jamo
		{"a\u3000b", []string{"a", "\u3000", "b"}}, // ideographic space is \s
		{"🙂 ok 👍🏽", []string{"🙂", " ok", " 👍🏽"}},   // emoji are symbols (So, Sk)
		{"x\xffy", []string{"x", "\xff", "y"}},     // invalid bytes are symbols too
		{"café", []string{"café"}},                 // é is one letter
		{"e\u0301", []string{"e", "\u0301"}},       // a combining mark is not a letter
	}
	for _, tt := range tests {
		got := SplitGPT2(tt.in)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("SplitGPT2(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestSplitGPT2Reference compares with the pieces that Python's regex module
// gives for the GPT-2 pattern on every reference string, invalid UTF-8
// included (testdata/make_reference.py).
func TestSplitGPT2Reference(t *testing.T) {
	ref := testReference(t)
	if len(ref.GPT2Pretokens) < 40 {
		t.Fatalf("reference.json has only %d pre-token cases", len(ref.GPT2Pretokens))
	}
	for _, c := range ref.GPT2Pretokens {
		text := mustHex(t, c.TextHex)
		var want []string
		for _, p := range c.PiecesHex {
			want = append(want, mustHex(t, p))
		}
		if got := SplitGPT2(text); !reflect.DeepEqual(got, want) {
			t.Errorf("SplitGPT2(%q) = %q, want %q", text, got, want)
		}
	}
}

func TestWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"  ", nil},
		{"안녕, 세계!", []string{"안녕", ",", "세계", "!"}},
		{"don't stop", []string{"don", "'", "t", "stop"}},
		{"$5+3=8", []string{"$", "5", "+", "3", "=", "8"}},
		{"«quote»\u3000next", []string{"«", "quote", "»", "next"}},
	}
	for _, tt := range tests {
		if got := Words(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Words(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCharsBytes(t *testing.T) {
	if got, want := Chars("한a\xff"), []string{"한", "a", "\xff"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Chars = %q, want %q", got, want)
	}
	if got, want := Bytes("한a"), []int{0xED, 0x95, 0x9C, 'a'}; !reflect.DeepEqual(got, want) {
		t.Errorf("Bytes = %v, want %v", got, want)
	}
	if got := strings.Join(Chars("x\xed\x95 한"), ""); got != "x\xed\x95 한" {
		t.Errorf("Chars does not join back: %q", got)
	}
}

func mustHex(t testing.TB, s string) string {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
