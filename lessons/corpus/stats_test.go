package corpus

import (
	"strings"
	"testing"
)

func TestMeasure(t *testing.T) {
	s := Measure([]string{"한국어 abc", "한국어 abc", "둘째\n줄", " "})
	// "둘째\n줄" is 4 characters (3 Hangul, 1 newline) and 10 bytes.
	want := Stats{Docs: 4, Empty: 1, Chars: 7 + 7 + 4 + 1, Bytes: 13 + 13 + 10 + 1, Lines: 4,
		Hangul: 3 + 3 + 3, Letters: 6 + 6 + 3, MeanChars: 19.0 / 4, HangulRatio: 9.0 / 15, Unique: 3}
	if s != want {
		t.Errorf("Measure = %+v\nwant %+v", s, want)
	}
	if z := Measure(nil); z != (Stats{}) {
		t.Errorf("Measure(nil) = %+v, want zero", z)
	}
}

func TestCompareStats(t *testing.T) {
	out := CompareStats(Stats{Docs: 200, Chars: 1000}, Stats{Docs: 150, Chars: 1000})
	for _, want := range []string{"documents", "200", "150", "-25.0%", "+0.0%"} {
		if !strings.Contains(out, want) {
			t.Errorf("CompareStats output lacks %q:\n%s", want, out)
		}
	}
}
