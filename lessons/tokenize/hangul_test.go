package tokenize

import (
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestSplitSyllableTable(t *testing.T) {
	tests := []struct {
		s       rune
		l, v, t rune
	}{
		{'가', 0x1100, 0x1161, 0},      // first syllable: ᄀ ᅡ
		{'각', 0x1100, 0x1161, 0x11A8}, // first trailing consonant ᆨ
		{'한', 0x1112, 0x1161, 0x11AB}, // ᄒ ᅡ ᆫ
		{'글', 0x1100, 0x1173, 0x11AF}, // ᄀ ᅳ ᆯ
		{'닭', 0x1103, 0x1161, 0x11B0}, // ᄃ ᅡ ᆰ (a double consonant)
		{'힣', 0x1112, 0x1175, 0x11C2}, // last syllable: ᄒ ᅵ ᇂ
	}
	for _, tt := range tests {
		l, v, tr, ok := SplitSyllable(tt.s)
		if !ok || l != tt.l || v != tt.v || tr != tt.t {
			t.Errorf("SplitSyllable(%q) = %U %U %U %v, want %U %U %U", tt.s, l, v, tr, ok, tt.l, tt.v, tt.t)
		}
		if s, ok := JoinSyllable(tt.l, tt.v, tt.t); !ok || s != tt.s {
			t.Errorf("JoinSyllable(%U, %U, %U) = %q %v, want %q", tt.l, tt.v, tt.t, s, ok, tt.s)
		}
	}
	for _, r := range []rune{'a', 'ㄱ', 0xABFF, 0xD7A4, 0x1100} {
		if _, _, _, ok := SplitSyllable(r); ok {
			t.Errorf("SplitSyllable(%U) ok, want not a syllable", r)
		}
	}
	bad := [][3]rune{{0x1100, 'a', 0}, {'a', 0x1161, 0}, {0x1100, 0x1161, 0x11A7}, {0x1100, 0x1161, 0x11C3}, {0x1113, 0x1161, 0}}
	for _, b := range bad {
		if _, ok := JoinSyllable(b[0], b[1], b[2]); ok {
			t.Errorf("JoinSyllable(%U, %U, %U) ok, want false", b[0], b[1], b[2])
		}
	}
}

// TestHangulAllSyllables checks every one of the 11,172 syllables against
// Unicode normalization (golang.org/x/text's NFD and NFC), and the round trip.
func TestHangulAllSyllables(t *testing.T) {
	for s := rune(SBase); s < SBase+SCount; s++ {
		text := "x" + string(s) + "y"
		d := DecomposeHangul(text)
		if want := norm.NFD.String(text); d != want {
			t.Fatalf("DecomposeHangul(%q) = %+q, NFD gives %+q", text, d, want)
		}
		if c := ComposeHangul(d); c != text {
			t.Fatalf("ComposeHangul(%+q) = %q, want %q", d, c, text)
		}
	}
}

func TestHangulStrings(t *testing.T) {
	tests := []struct{ in, jamo, compat string }{
		{"", "", ""},
		{"한글", "\u1112\u1161\u11ab\u1100\u1173\u11af", "ㅎㅏㄴㄱㅡㄹ"},
		{"닭 a가!", "\u1103\u1161\u11b0 a\u1100\u1161!", "ㄷㅏㄺ aㄱㅏ!"},
		{"ㅋㅋ 🙂", "ㅋㅋ 🙂", "ㅋㅋ 🙂"}, // compatibility jamo and emoji stay as they are
	}
	for _, tt := range tests {
		if got := DecomposeHangul(tt.in); got != tt.jamo {
			t.Errorf("DecomposeHangul(%q) = %+q, want %+q", tt.in, got, tt.jamo)
		}
		if got := ComposeHangul(tt.jamo); got != tt.in {
			t.Errorf("ComposeHangul(%+q) = %q, want %q", tt.jamo, got, tt.in)
		}
		if got := CompatibilityJamo(tt.in); got != tt.compat {
			t.Errorf("CompatibilityJamo(%q) = %q, want %q", tt.in, got, tt.compat)
		}
	}
	// A lone vowel or trailing consonant does not compose; L+V does.
	if got := ComposeHangul("\u1161\u11ab\u1112\u1161"); got != "\u1161\u11ab하" {
		t.Errorf("ComposeHangul of broken jamo = %+q", got)
	}
}
