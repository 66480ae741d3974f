package tokenize

import "strings"

// specialTokens are strings such as [CLS] or <|endoftext|> that are never
// split: wherever one appears in the text it becomes its own id, and the text
// around it is encoded as usual.
type specialTokens struct {
	list []string
	ids  []int
}

func (s *specialTokens) add(token string, id int) {
	s.list = append(s.list, token)
	s.ids = append(s.ids, id)
}

// lookup returns the id of a special token, or -1.
func (s *specialTokens) lookup(token string) int {
	for i, t := range s.list {
		if t == token {
			return s.ids[i]
		}
	}
	return -1
}

// split calls emit for each piece of text in order: plain text with id -1,
// or a special token with its id. Where several special tokens match, the
// leftmost wins, then the longest.
//
//	specials {"[SEP]":3}: "a[SEP]b" -> ("a",-1) ("[SEP]",3) ("b",-1)
func (s *specialTokens) split(text string, emit func(piece string, id int)) {
	if len(s.list) == 0 {
		if text != "" {
			emit(text, -1)
		}
		return
	}
	// next[i] is where list[i] next occurs at or after pos (-2: not searched yet).
	next := make([]int, len(s.list))
	for i := range next {
		next[i] = -2
	}
	pos := 0
	for pos < len(text) {
		best := -1
		for i, tok := range s.list {
			if next[i] == -2 || next[i] >= 0 && next[i] < pos {
				if j := strings.Index(text[pos:], tok); j >= 0 {
					next[i] = pos + j
				} else {
					next[i] = -1
				}
			}
			if next[i] < 0 {
				continue
			}
			if best < 0 || next[i] < next[best] || next[i] == next[best] && len(tok) > len(s.list[best]) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		if start := next[best]; start > pos {
			emit(text[pos:start], -1)
		}
		emit(s.list[best], s.ids[best])
		pos = next[best] + len(s.list[best])
	}
	if pos < len(text) {
		emit(text[pos:], -1)
	}
}
