package retrieval

import (
	"fmt"
	"strings"

	"github.com/baeum-go/baeum/mlx/show"
)

// ShowQuestions displays the first n questions of an evaluation set with
// the titles of the passages labelled as answering them.
func ShowQuestions(qs []Question, ps []Passage, n int) {
	title := map[string]string{}
	for _, p := range ps {
		if _, ok := title[p.ID]; !ok {
			title[p.ID] = p.Number + " " + p.Title
		}
	}
	var rows [][]string
	for _, q := range qs[:min(n, len(qs))] {
		var ts []string
		for _, id := range q.IDs {
			ts = append(ts, title[id])
		}
		rows = append(rows, []string{q.Q, strings.Join(ts, " · ")})
	}
	show.Table([]string{"question", "answered in"}, rows)
}

// ShowPostings displays the inverted index's lists for a few terms: each
// document that holds the term, with how often.
func ShowPostings(ix *Index, ps []Passage, terms ...string) {
	var rows [][]string
	for _, t := range terms {
		post := ix.Postings(t)
		var cells []string
		for _, p := range post[:min(8, len(post))] {
			cells = append(cells, fmt.Sprintf("%s×%d", ps[p.Doc].Number, p.TF))
		}
		if len(post) > 8 {
			cells = append(cells, fmt.Sprintf("… (%d more)", len(post)-8))
		}
		rows = append(rows, []string{t, fmt.Sprint(len(post)), fmt.Sprintf("%.2f", ix.IDF(t)), strings.Join(cells, ", ")})
	}
	show.Table([]string{"term", "documents (df)", "idf", "postings: section × occurrences"}, rows)
}

// ShowExplain displays a document's BM25 score for a query term by term.
func ShowExplain(ix *Index, query string, doc int) {
	var rows [][]string
	total := 0.0
	for _, c := range ix.Explain(query, doc) {
		rows = append(rows, []string{c.Term, fmt.Sprint(c.TF), fmt.Sprint(c.DF), fmt.Sprintf("%.3f", c.IDF), fmt.Sprintf("%.3f", c.Score)})
		total += c.Score
	}
	rows = append(rows, []string{"total", "", "", "", fmt.Sprintf("%.3f", total)})
	show.Table([]string{"query term", "tf in the document", "df", "idf", "score"}, rows)
}

// MethodRow is one line of the lesson's comparison: a retrieval method on
// one language's questions.
type MethodRow struct {
	Lang, Method string
	Scores
}

// ShowMethods displays the comparison table.
func ShowMethods(rows []MethodRow) {
	var cells [][]string
	for _, r := range rows {
		cells = append(cells, []string{r.Lang, r.Method, fmt.Sprintf("%.3f", r.Recall1), fmt.Sprintf("%.3f", r.Recall5), fmt.Sprintf("%.3f", r.MRR)})
	}
	show.Table([]string{"language", "method", "recall@1", "recall@5", "MRR"}, cells)
}
