package tokenize

// This file learns BPE merges: count every adjacent pair of tokens in the
// training words, join the most frequent pair into a new token, update the
// counts, repeat. Recounting the whole corpus after each merge (as the
// textbook code does) costs O(merges x corpus); here the counts are updated
// only where the merged pair occurred, which is what real trainers do.

// trainWord is one distinct word of the training text: its current tokens and
// how many times it occurs.
type trainWord struct {
	syms  []int32
	count int64
}

// learnedMerge is one merge as the trainer finds it.
type learnedMerge struct {
	left, right, id int32
	count           int64
}

// pairInfo is what the trainer knows about one pair of adjacent tokens.
type pairInfo struct {
	left, right int32
	count       int64   // occurrences, weighted by word counts
	words       []int32 // a min-heap of the words that (may) hold the pair
}

// pairTrainer holds the state of one training run.
type pairTrainer struct {
	words []trainWord
	index map[uint64]int32 // pairKey -> position in pairs
	pairs []pairInfo
	heap  pairHeap
}

// learnMerges learns up to maxMerges merges on words, giving the new tokens
// the ids firstID, firstID+1, ... It stops early when no pair occurs at least
// minCount times.
//
// Ties between pairs with the same count go to the pair that occurs first in
// the training text (words are numbered in order of first appearance), the
// order in which the textbook code of Sennrich et al. meets them.
//
//	words [l o w]x5 [l o w e r]x2, one merge: (l,o) count 7 -> [lo w]x5 [lo w e r]x2
func learnMerges(words []trainWord, firstID int32, maxMerges int, minCount int64) []learnedMerge {
	t := &pairTrainer{words: words, index: make(map[uint64]int32)}
	for w := range words {
		ws := words[w].syms
		for i := 0; i+1 < len(ws); i++ {
			t.addOccurrence(ws[i], ws[i+1], int32(w), words[w].count)
		}
	}
	for p := range t.pairs {
		t.heap = append(t.heap, t.entry(int32(p)))
	}
	t.heap.init()

	var merges []learnedMerge
	stamp := make([]int32, len(words)) // stamp[w] == len(merges): word w is done for this merge
	for len(merges) < maxMerges && len(t.heap) > 0 {
		top := t.heap.pop()
		cur := t.entry(top.pair)
		if cur.count == 0 {
			continue
		}
		if cur != top { // stale: the pair lost occurrences since it was pushed
			t.heap.push(cur)
			continue
		}
		if cur.count < minCount {
			break
		}
		p := &t.pairs[top.pair]
		a, b, id := p.left, p.right, firstID+int32(len(merges))
		merges = append(merges, learnedMerge{a, b, id, p.count})
		touched := map[int32]bool{} // pairs that gained occurrences
		for _, w := range append([]int32(nil), p.words...) {
			if stamp[w] == int32(len(merges)) {
				continue
			}
			stamp[w] = int32(len(merges))
			t.mergeInWord(w, a, b, id, touched)
		}
		p = &t.pairs[top.pair]
		p.count, p.words = 0, nil
		for q := range touched {
			t.heap.push(t.entry(q))
		}
	}
	return merges
}

// addOccurrence counts one more occurrence (weighted by n) of the pair
// (a, b) in word w, and returns the pair's index.
func (t *pairTrainer) addOccurrence(a, b, w int32, n int64) int32 {
	k := pairKey(a, b)
	p, ok := t.index[k]
	if !ok {
		p = int32(len(t.pairs))
		t.index[k] = p
		t.pairs = append(t.pairs, pairInfo{left: a, right: b})
	}
	info := &t.pairs[p]
	info.count += n
	if len(info.words) == 0 || info.words[len(info.words)-1] != w {
		pushWord(&info.words, w)
	}
	return p
}

// mergeInWord replaces every (a, b) in word w by id, left to right, and
// updates the pair counts around each replacement (HF's Word::merge does the
// same). touched collects the pairs that gained occurrences.
//
//	[a b a b], (a,b)->X: pairs (b,a) -1, (X,a) +1, then (X,a) -1, (X,X) +1 -> [X X]
func (t *pairTrainer) mergeInWord(w, a, b, id int32, touched map[int32]bool) {
	word := &t.words[w]
	syms, n := word.syms, word.count
	out := 0
	for r := 0; r < len(syms); {
		if r+1 < len(syms) && syms[r] == a && syms[r+1] == b {
			if out > 0 {
				prev := syms[out-1]
				t.addCount(prev, a, -n)
				touched[t.addOccurrence(prev, id, w, n)] = true
			}
			if r+2 < len(syms) {
				next := syms[r+2]
				t.addCount(b, next, -n)
				touched[t.addOccurrence(id, next, w, n)] = true
			}
			syms[out] = id
			out++
			r += 2
			continue
		}
		syms[out] = syms[r]
		out++
		r++
	}
	word.syms = syms[:out]
}

// addCount changes the count of an existing pair.
func (t *pairTrainer) addCount(a, b int32, delta int64) {
	if p, ok := t.index[pairKey(a, b)]; ok {
		t.pairs[p].count += delta
	}
}

// entry returns the pair's current heap entry: its count and where it first
// occurs (word index << 32 | token position), dropping from the pair's word
// heap the words that no longer hold it.
func (t *pairTrainer) entry(p int32) pairEntry {
	info := &t.pairs[p]
	for info.count > 0 && len(info.words) > 0 {
		w := info.words[0]
		syms := t.words[w].syms
		for i := 0; i+1 < len(syms); i++ {
			if syms[i] == info.left && syms[i+1] == info.right {
				return pairEntry{count: info.count, first: uint64(w)<<32 | uint64(i), pair: p}
			}
		}
		popWord(&info.words)
	}
	return pairEntry{pair: p}
}

// pairEntry orders pairs for the trainer: highest count first, then first
// occurrence.
type pairEntry struct {
	count int64
	first uint64
	pair  int32
}

func (e pairEntry) before(f pairEntry) bool {
	return e.count > f.count || e.count == f.count && e.first < f.first
}

// pairHeap is a binary heap of pairEntry, best first.
type pairHeap []pairEntry

func (h pairHeap) init() {
	for i := len(h)/2 - 1; i >= 0; i-- {
		h.down(i)
	}
}

func (h *pairHeap) push(e pairEntry) {
	*h = append(*h, e)
	s := *h
	for i := len(s) - 1; i > 0; {
		p := (i - 1) / 2
		if !s[i].before(s[p]) {
			break
		}
		s[i], s[p] = s[p], s[i]
		i = p
	}
}

func (h *pairHeap) pop() pairEntry {
	s := *h
	top := s[0]
	s[0] = s[len(s)-1]
	*h = s[:len(s)-1]
	h.down(0)
	return top
}

func (h pairHeap) down(i int) {
	for {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(h) && h[l].before(h[m]) {
			m = l
		}
		if r < len(h) && h[r].before(h[m]) {
			m = r
		}
		if m == i {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}

// pushWord and popWord keep a slice of word indices as a min-heap.
func pushWord(h *[]int32, w int32) {
	*h = append(*h, w)
	s := *h
	for i := len(s) - 1; i > 0; {
		p := (i - 1) / 2
		if s[p] <= s[i] {
			break
		}
		s[i], s[p] = s[p], s[i]
		i = p
	}
}

func popWord(h *[]int32) {
	s := *h
	s[0] = s[len(s)-1]
	s = s[:len(s)-1]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(s) && s[l] < s[m] {
			m = l
		}
		if r < len(s) && s[r] < s[m] {
			m = r
		}
		if m == i {
			break
		}
		s[i], s[m] = s[m], s[i]
		i = m
	}
	*h = s
}
