package tokenize

import (
	"strings"
	"unicode/utf8"
)

// Hangul syllables are made by arithmetic (The Unicode Standard, section 3.12,
// "Conjoining Jamo Behavior"): the 11,172 syllables 가..힣 are numbered
//
//	S = SBase + (L*VCount + V)*TCount + T
//
// where L is the leading consonant (choseong, 19 of them), V the vowel
// (jungseong, 21) and T the optional trailing consonant (jongseong, 27, or 0
// for none). Conjoining jamo have their own code points starting at LBase,
// VBase and TBase+1.
const (
	SBase  = 0xAC00 // 가, the first syllable
	LBase  = 0x1100 // ᄀ, the first leading consonant
	VBase  = 0x1161 // ᅡ, the first vowel
	TBase  = 0x11A7 // one before ᆨ, the first trailing consonant (T=0 means none)
	LCount = 19
	VCount = 21
	TCount = 28 // 27 trailing consonants plus "none"
	NCount = VCount * TCount
	SCount = LCount * NCount // 11,172 syllables
)

// SplitSyllable splits a precomposed Hangul syllable into its jamo. t is 0
// when the syllable has no trailing consonant; ok is false when r is not a
// Hangul syllable.
//
//	SplitSyllable('한') -> 'ᄒ' 'ᅡ' 'ᆫ' true
//	SplitSyllable('가') -> 'ᄀ' 'ᅡ' 0 true
func SplitSyllable(r rune) (l, v, t rune, ok bool) {
	s := r - SBase
	if s < 0 || s >= SCount {
		return 0, 0, 0, false
	}
	l = LBase + s/NCount
	v = VBase + (s%NCount)/TCount
	if ti := s % TCount; ti != 0 {
		t = TBase + ti
	}
	return l, v, t, true
}

// JoinSyllable is the inverse of SplitSyllable: it builds the syllable from a
// leading consonant, a vowel and a trailing consonant (0 for none). ok is
// false when the jamo cannot form a syllable.
//
//	JoinSyllable('ᄒ', 'ᅡ', 'ᆫ') -> '한' true
func JoinSyllable(l, v, t rune) (rune, bool) {
	li, vi, ti := l-LBase, v-VBase, rune(0)
	if t != 0 {
		ti = t - TBase
		if ti <= 0 || ti >= TCount {
			return 0, false
		}
	}
	if li < 0 || li >= LCount || vi < 0 || vi >= VCount {
		return 0, false
	}
	return SBase + (li*VCount+vi)*TCount + ti, true
}

// DecomposeHangul replaces every Hangul syllable of text by its 2 or 3
// conjoining jamo and leaves everything else as it is. It gives the same result
// as Unicode normalization form NFD on Hangul.
//
//	DecomposeHangul("한글") -> "한글" (6 jamo; most fonts draw them as 한글 again)
func DecomposeHangul(text string) string {
	var b strings.Builder
	b.Grow(len(text) * 3 / 2)
	for i := 0; i < len(text); {
		r, w := utf8.DecodeRuneInString(text[i:])
		if l, v, t, ok := SplitSyllable(r); ok {
			b.WriteRune(l)
			b.WriteRune(v)
			if t != 0 {
				b.WriteRune(t)
			}
		} else {
			b.WriteString(text[i : i+w])
		}
		i += w
	}
	return b.String()
}

// ComposeHangul joins every leading consonant + vowel (+ trailing consonant)
// sequence of conjoining jamo back into a syllable, the inverse of
// DecomposeHangul: ComposeHangul(DecomposeHangul(s)) == s for any s that has no
// conjoining jamo of its own.
//
//	ComposeHangul("한글") -> "한글"
func ComposeHangul(text string) string {
	var b strings.Builder
	b.Grow(len(text))
	for i := 0; i < len(text); {
		l, w := utf8.DecodeRuneInString(text[i:])
		v, wv := utf8.DecodeRuneInString(text[i+w:])
		if s, ok := JoinSyllable(l, v, 0); ok {
			i += w + wv
			// A trailing consonant may follow; JoinSyllable would take t == 0
			// (say a NUL byte) as "none", so check the range here.
			if t, wt := utf8.DecodeRuneInString(text[i:]); t > TBase && t < TBase+TCount {
				s, _ = JoinSyllable(l, v, t)
				i += wt
			}
			b.WriteRune(s)
			continue
		}
		b.WriteString(text[i : i+w])
		i += w
	}
	return b.String()
}

// compatL, compatV and compatT are the Hangul Compatibility Jamo (the letters
// on a Korean keyboard, U+3131..U+318E) for each leading consonant, vowel and
// trailing consonant index. Conjoining jamo are drawn joined into a syllable
// by most fonts; these stand alone, which is what a table in a notebook needs.
var (
	compatL = []rune("ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ")
	compatV = []rune("ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ")
	compatT = []rune("ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ")
)

// CompatibilityJamo decomposes the syllables of text like DecomposeHangul but
// writes each jamo as the stand-alone keyboard letter, so that it prints as a
// separate character. Unlike DecomposeHangul it cannot be undone exactly (ㄱ
// may be a leading or a trailing consonant), so use it for display only.
//
//	CompatibilityJamo("닭") -> "ㄷㅏㄺ"
func CompatibilityJamo(text string) string {
	var b strings.Builder
	for _, r := range DecomposeHangul(text) {
		switch {
		case r >= LBase && r < LBase+LCount:
			r = compatL[r-LBase]
		case r >= VBase && r < VBase+VCount:
			r = compatV[r-VBase]
		case r > TBase && r < TBase+TCount:
			r = compatT[r-TBase-1]
		}
		b.WriteRune(r)
	}
	return b.String()
}
