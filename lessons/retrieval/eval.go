package retrieval

import (
	"bufio"
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"slices"
)

// The evaluation sets: questions written for this lesson about the Debian
// FAQ, each labelled with the passage IDs that answer it (testdata/README.md
// says how they were written and checked).
//
//go:embed testdata/questions_en.jsonl testdata/questions_ko.jsonl
var questionFiles embed.FS

// Question is one evaluation question and the IDs (Passage.ID) of the
// sections that answer it. When there are several, each answers it or a
// part of it, and recall counts each.
type Question struct {
	Q   string   `json:"q"`
	IDs []string `json:"ids"`
}

// LoadQuestions returns the evaluation questions of a language, "en" or "ko",
// in file order. A line that is not {"q": "...", "ids": [...]} with a
// question and at least one ID is an error naming the line.
func LoadQuestions(lang string) ([]Question, error) {
	name := "testdata/questions_" + lang + ".jsonl"
	b, err := questionFiles.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("retrieval: no questions for language %q (use \"en\" or \"ko\")", lang)
	}
	var qs []Question
	sc := bufio.NewScanner(bytes.NewReader(b))
	for line := 1; sc.Scan(); line++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var q Question
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&q); err != nil {
			return nil, fmt.Errorf("retrieval: %s line %d: %w", name, line, err)
		}
		if q.Q == "" || len(q.IDs) == 0 {
			return nil, fmt.Errorf("retrieval: %s line %d: a question needs \"q\" and at least one ID in \"ids\"", name, line)
		}
		qs = append(qs, q)
	}
	return qs, sc.Err()
}

// CheckLabels reports the first label of qs that names no passage of ps.
func CheckLabels(qs []Question, ps []Passage) error {
	known := map[string]bool{}
	for _, p := range ps {
		known[p.ID] = true
	}
	for i, q := range qs {
		for _, id := range q.IDs {
			if !known[id] {
				return fmt.Errorf("retrieval: question %d (%q) is labelled %q, which is no passage", i+1, q.Q, id)
			}
		}
	}
	return nil
}

// Queries returns the text of each question, in order.
func Queries(qs []Question) []string {
	out := make([]string, len(qs))
	for i, q := range qs {
		out[i] = q.Q
	}
	return out
}

// Ranking is what every retriever of this lesson produces for a question
// set: for each question, passage indices (into the []Passage searched), best
// first. BM25, dense retrieval and their fusion all fill one, so they are
// scored by the same code.
type Ranking [][]int

// Searcher is a retriever: the k best passages for a query. *Index is one.
type Searcher interface {
	Search(query string, k int) []Hit
}

// Rank asks s for the k best passages of every query.
func Rank(s Searcher, queries []string, k int) Ranking {
	r := make(Ranking, len(queries))
	for i, q := range queries {
		for _, h := range s.Search(q, k) {
			r[i] = append(r[i], h.Doc)
		}
	}
	return r
}

// SectionIDs turns a ranking of passages into a ranking of sections: each
// passage becomes its ID, and a section met again (another part of a split
// section) is dropped, so that it keeps the place of its best part and does
// not take two places in the top k.
//
//	passages [a#1 a#1 b c], ranking [[1 0 3]] -> [[a c]]
func (r Ranking) SectionIDs(ps []Passage) [][]string {
	out := make([][]string, len(r))
	for i, docs := range r {
		for _, d := range docs {
			if id := ps[d].ID; !slices.Contains(out[i], id) {
				out[i] = append(out[i], id)
			}
		}
	}
	return out
}

// RecallAt is recall@k averaged over the questions: the fraction of a
// question's labelled sections found among the first k of its ranked IDs.
// A question with one label scores 1 or 0; with two, it can score 0.5.
//
//	ranked [[a b c] [x y]], labels [[c] [z]], k=2 -> (0 + 0) / 2 = 0;  k=3 -> (1 + 0) / 2 = 0.5
func RecallAt(ranked [][]string, qs []Question, k int) float64 {
	if len(qs) == 0 {
		return 0
	}
	var sum float64
	for i, q := range qs {
		top := ranked[i][:min(k, len(ranked[i]))]
		found := 0
		for _, id := range q.IDs {
			if slices.Contains(top, id) {
				found++
			}
		}
		sum += float64(found) / float64(len(q.IDs))
	}
	return sum / float64(len(qs))
}

// MRR is the mean reciprocal rank: the average over questions of 1/rank of
// the first labelled section in the ranking (rank 1 is the top), 0 when none
// of them is ranked at all.
//
//	ranked [[a b c] [x y]], labels [[b] [z]] -> (1/2 + 0) / 2 = 0.25
func MRR(ranked [][]string, qs []Question) float64 {
	if len(qs) == 0 {
		return 0
	}
	var sum float64
	for i, q := range qs {
		for rank, id := range ranked[i] {
			if slices.Contains(q.IDs, id) {
				sum += 1 / float64(rank+1)
				break
			}
		}
	}
	return sum / float64(len(qs))
}

// Scores are the numbers the lesson reports for a retriever on a question set.
type Scores struct {
	Recall1, Recall5, MRR float64
}

func (s Scores) String() string {
	return fmt.Sprintf("recall@1 %.3f  recall@5 %.3f  MRR %.3f", s.Recall1, s.Recall5, s.MRR)
}

// Evaluate scores a ranking of passages ps against the questions' labels, at
// the level of sections (SectionIDs).
func Evaluate(r Ranking, ps []Passage, qs []Question) Scores {
	ids := r.SectionIDs(ps)
	return Scores{Recall1: RecallAt(ids, qs, 1), Recall5: RecallAt(ids, qs, 5), MRR: MRR(ids, qs)}
}

// RRFK is the constant of reciprocal-rank fusion that Cormack, Clarke and
// Büttcher ("Reciprocal Rank Fusion outperforms Condorcet and individual
// rank learning methods", SIGIR 2009) found good across collections.
const RRFK = 60

// RRF fuses rankings by reciprocal rank: for each question a passage scores
// Σ over the rankings that hold it of 1/(k + rank), rank 1 being the top,
// and the passages are ordered by that score (ties: lower index first). It
// needs only ranks, not scores, so BM25's unbounded scores and a dense
// retriever's cosines fuse without any calibration. A ranking shorter than
// the others contributes nothing to the questions it lacks.
//
//	k=60, [[7 3]] and [[3 9]] -> 3: 1/62 + 1/61, 7: 1/61, 9: 1/62 -> [[3 7 9]]
func RRF(k int, rankings ...Ranking) Ranking {
	n := 0
	for _, r := range rankings {
		n = max(n, len(r))
	}
	out := make(Ranking, n)
	for i := range n {
		score := map[int]float64{}
		for _, r := range rankings {
			if i >= len(r) {
				continue
			}
			seen := map[int]bool{}
			for rank, d := range r[i] {
				if !seen[d] { // a passage listed twice counts at its best rank
					seen[d] = true
					score[d] += rrfTerm(k, rank+1)
				}
			}
		}
		hits := make([]Hit, 0, len(score))
		for d, s := range score {
			hits = append(hits, Hit{Doc: d, Score: s})
		}
		sortHits(hits)
		for _, h := range hits {
			out[i] = append(out[i], h.Doc)
		}
	}
	return out
}

// rrfTerm is what being at rank (1 = top) of one ranking adds to a
// passage's fused score.
func rrfTerm(k, rank int) float64 { return 1 / float64(k+rank) }

// RRFScore is a passage's fused score with k = RRFK, from its rank (1 =
// top) in each ranking that holds it: Σ 1/(60 + rank).
func RRFScore(ranks []int) float64 {
	s := 0.0
	for _, r := range ranks {
		s += rrfTerm(RRFK, r)
	}
	return s
}

// BaselineRow is one row of the lesson's BM25 table: a language, a
// tokenizer, and the scores of BM25 with it.
type BaselineRow struct {
	Lang, Tokenizer string
	Scores
}

// BM25Baseline indexes the FAQ passages of lang with each of
// Tokenizers(lang), ranks the language's evaluation questions with BM25
// (DefaultK1, DefaultB; the top 100 passages) and scores the rankings:
// the baseline that dense retrieval has to beat.
func BM25Baseline(lang string) ([]BaselineRow, error) {
	ps, qs, err := passagesAndQuestions(lang)
	if err != nil {
		return nil, err
	}
	toks, err := Tokenizers(lang)
	if err != nil {
		return nil, err
	}
	var rows []BaselineRow
	for _, tok := range toks {
		r := Rank(NewIndex(Documents(ps), tok.Split), Queries(qs), 100)
		rows = append(rows, BaselineRow{Lang: lang, Tokenizer: tok.Name, Scores: Evaluate(r, ps, qs)})
	}
	return rows, nil
}
