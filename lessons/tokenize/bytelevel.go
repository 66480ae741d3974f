package tokenize

// GPT-2 stores its byte-level vocabulary as text, so each of the 256 byte
// values needs a printable character. Bytes that are printable Latin-1
// characters stand for themselves ('a' is "a"); the other 68 (control
// characters, space, and a few more) are shifted to U+0100 and up, in order.
// That is why the token for " the" is written "Ġthe" in GPT-2's files: byte
// 0x20 (space) is character U+0120, Ġ.

// byteToChar maps each byte value to the character that stands for it.
var byteToChar [256]rune

// charToByte is the inverse of byteToChar, -1 for characters that stand for
// no byte.
var charToByte [256 + 68]int16

func init() {
	n := rune(0)
	for b := 0; b < 256; b++ {
		printable := b >= '!' && b <= '~' || b >= 0xA1 && b <= 0xAC || b >= 0xAE && b <= 0xFF
		if printable {
			byteToChar[b] = rune(b)
		} else {
			byteToChar[b] = 256 + n
			n++
		}
	}
	for i := range charToByte {
		charToByte[i] = -1
	}
	for b, r := range byteToChar {
		charToByte[r] = int16(b)
	}
}

// ByteLevelString writes the bytes of s with GPT-2's printable characters,
// the way byte-level tokens appear in a tokenizer.json.
//
//	ByteLevelString(" the") -> "Ġthe"
//	ByteLevelString("한") -> "íķľ" (its 3 bytes ED 95 9C)
func ByteLevelString(s string) string {
	out := make([]rune, len(s))
	for i := 0; i < len(s); i++ {
		out[i] = byteToChar[s[i]]
	}
	return string(out)
}

// byteLevelBytes is the inverse of ByteLevelString. ok is false if s holds a
// character that stands for no byte.
//
//	byteLevelBytes("Ġthe") -> " the" true
func byteLevelBytes(s string) (string, bool) {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		if r < 0 || int(r) >= len(charToByte) || charToByte[r] < 0 {
			return "", false
		}
		out = append(out, byte(charToByte[r]))
	}
	return string(out), true
}
