package retrieval

// The lesson's comparison: every method on both languages' questions, and
// their fusions.

// BestBM25 is the BM25 tokenizer the comparison uses for a language: words
// for English, syllable bigrams for Korean (the best of BM25Baseline).
func BestBM25(lang string) (name string, split func(string) []string) {
	if lang == "ko" {
		return "syllable bigrams", SyllableBigrams
	}
	return "words", LowerWords
}

// CompareMethods ranks each language's evaluation questions with BM25,
// with each dense encoder (name -> Embedder, e.g. MiniLM and the course's
// encoder), and with reciprocal-rank fusion of BM25 and each encoder and
// of all of them, and scores every ranking.
func CompareMethods(encoders []NamedEmbedder) ([]MethodRow, error) {
	var rows []MethodRow
	for _, lang := range []string{"en", "ko"} {
		ps, qs, err := passagesAndQuestions(lang)
		if err != nil {
			return nil, err
		}
		queries := Queries(qs)
		tokName, split := BestBM25(lang)
		bm25 := Rank(NewIndex(Documents(ps), split), queries, 100)
		rows = append(rows, MethodRow{Lang: lang, Method: "BM25 (" + tokName + ")", Scores: Evaluate(bm25, ps, qs)})
		all := []Ranking{bm25}
		for _, e := range encoders {
			ix, err := NewDenseIndex(e.Embedder, Documents(ps))
			if err != nil {
				return nil, err
			}
			dense, err := ix.Rank(queries, 100)
			if err != nil {
				return nil, err
			}
			all = append(all, dense)
			rows = append(rows,
				MethodRow{Lang: lang, Method: e.Name + " (dense)", Scores: Evaluate(dense, ps, qs)},
				MethodRow{Lang: lang, Method: "BM25 + " + e.Name + " (RRF)", Scores: Evaluate(RRF(RRFK, bm25, dense), ps, qs)})
		}
		if len(encoders) > 1 {
			rows = append(rows, MethodRow{Lang: lang, Method: "all of them (RRF)", Scores: Evaluate(RRF(RRFK, all...), ps, qs)})
		}
	}
	return rows, nil
}

// NamedEmbedder is an encoder with the name the comparison table gives it.
type NamedEmbedder struct {
	Name string
	Embedder
}

// Best is the row with the highest recall@5 for a language.
func Best(rows []MethodRow, lang string) MethodRow {
	var best MethodRow
	for _, r := range rows {
		if r.Lang == lang && (best.Method == "" || r.Recall5 > best.Recall5) {
			best = r
		}
	}
	return best
}

// passagesAndQuestions loads a language's passages and evaluation
// questions.
func passagesAndQuestions(lang string) ([]Passage, []Question, error) {
	ps, err := Passages(lang)
	if err != nil {
		return nil, nil, err
	}
	qs, err := LoadQuestions(lang)
	return ps, qs, err
}
