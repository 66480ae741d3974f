package retrieval

import (
	"fmt"
	"html"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/baeum-go/baeum/lessons/corpus"
	"github.com/baeum-go/baeum/lessons/finetune"
	"github.com/baeum-go/baeum/mlx/show"
	"github.com/gomlx/compute"
)

// Retrieve, then read: open-domain question answering as DrQA does it (Chen
// et al., "Reading Wikipedia to Answer Open-Domain Questions", 2017). A
// retriever picks the k passages most likely to hold the answer; lesson 08's
// reader, which was only ever handed the right paragraph, marks its best
// span in what it is given of them; the best span over all is the answer.
//
// Comparing spans across passages: each passage (or paragraph) is read as
// lesson 08 reads a paragraph (finetune.Windows, then DecodeSpan in every
// window), and its span carries DecodeSpan's score, the start logit plus
// the end logit. The highest score wins: the rule lesson 08 applies across
// the windows of one paragraph, and DrQA's across paragraphs ("to make
// scores compatible across paragraphs ... we use the unnormalized
// exponential and take argmax over all considered paragraph spans"). A
// softmax over one window's positions would not do: it sums to 1 in every
// window, so a window with no answer would still have a confident span.
//
// Raw logits are not calibrated across texts, and with this reader it
// shows. Measured on lesson 08's 196 test questions: given the gold
// paragraph, the reader gets 10.7% exact match; given the whole section
// that holds it, 2.0%, and subtracting each window's [CLS] ("no answer")
// score from its span's, as SQuAD 2.0 readers do, only 2.6%. Its scores
// point at a likely-looking span (a name, a command) in any paragraph
// rather than tell the paragraph that answers the question: the windows
// without the answer it was trained on (604 of 1,385) were other parts of
// the right paragraph, never a paragraph about something else. So the
// pipeline can narrow first: ParagraphRanker hands the reader only the
// paragraph of the retrieved passages that BM25 matches best, which gives
// back most of the gold paragraph's score when it is the right one.
//
// Deliberately left out: combining the retriever's score with the reader's
// (BERTserini, Yang et al. 2019: adding BM25's score to the reader's did not
// help here), and answering "no answer".

// Answer is the pipeline's answer to one question.
type Answer struct {
	Question   string
	Text       string  // the span the reader chose; "" when nothing read gave one
	Passage    int     // index of its passage in the passages searched; -1 when none
	PassageID  string  // that passage's ID
	Title      string  // and title
	Start, End int     // the byte range of Text in that passage's Text
	Score      float32 // the reader's span score (DecodeSpan: start logit + end logit)
	Retrieved  []int   // the passages retrieved, best first
	Read       []Span  // what the reader read of them

	// Known only for lesson 08's questions (RetrieveThenRead):
	Gold         string // the gold answer
	GoldPassages []int  // the passages that hold its paragraph (GoldPassages)
	GoldRead     bool   // the gold paragraph was among what the reader read
}

// Hit reports whether a passage that holds the gold paragraph was retrieved.
func (a Answer) Hit() bool {
	return slices.ContainsFunc(a.Retrieved, func(d int) bool { return slices.Contains(a.GoldPassages, d) })
}

// Span is a byte range [Start, End) of the text of passage Passage: what
// the reader is given to read, a whole passage or one of its paragraphs.
type Span struct{ Passage, Start, End int }

// WholePassages returns the spans of passages top, whole.
func WholePassages(ps []Passage, top []int) []Span {
	out := make([]Span, len(top))
	for i, d := range top {
		out[i] = Span{d, 0, len(ps[d].Text)}
	}
	return out
}

// ReadFromPassages reads passages top (indices into ps, e.g. a search's
// hits), whole, with the reader and returns the best-scoring span over all
// of them.
func ReadFromPassages(backend compute.Backend, r *finetune.Reader, question string, ps []Passage, top []int) (Answer, error) {
	return ReadSpans(backend, r, question, ps, WholePassages(ps, top))
}

// ReadSpans reads each span with the reader and returns the best-scoring
// answer over all of them.
func ReadSpans(backend compute.Backend, r *finetune.Reader, question string, ps []Passage, spans []Span) (Answer, error) {
	answers, err := read(backend, r, []string{question}, ps, [][]Span{spans})
	if err != nil {
		return Answer{}, err
	}
	return answers[0], nil
}

// read answers every question from its spans. All (question, span) pairs
// go to the reader at once: it cuts them into windows and runs them in
// batches, with one compiled graph for the whole call.
func read(backend compute.Backend, r *finetune.Reader, questions []string, ps []Passage, spans [][]Span) ([]Answer, error) {
	var pairs []finetune.QA
	for i, q := range questions {
		for _, s := range spans[i] {
			pairs = append(pairs, finetune.QA{Question: q, Context: ps[s.Passage].Text[s.Start:s.End]})
		}
	}
	found, err := r.Answer(backend, pairs)
	if err != nil {
		return nil, fmt.Errorf("retrieval: reading the passages: %w", err)
	}
	answers := make([]Answer, len(questions))
	next := 0
	for i, q := range questions {
		a := Answer{Question: q, Passage: -1, Start: -1, End: -1, Read: spans[i]}
		for _, s := range spans[i] {
			f := found[next]
			next++
			if f.Start >= 0 && (a.Passage < 0 || f.Score > a.Score) {
				a.Text, a.Start, a.End, a.Score = f.Text, s.Start+f.Start, s.Start+f.End, f.Score
				a.Passage, a.PassageID, a.Title = s.Passage, ps[s.Passage].ID, ps[s.Passage].Title
			}
		}
		answers[i] = a
	}
	return answers, nil
}

// ParagraphRanker ranks the paragraphs of passages with BM25 (syllable
// bigrams, the IDF of all the passages' paragraphs), so that the reader is
// handed only the paragraph of the retrieved passages that best matches the
// question: its own scores cannot pick that paragraph (see the top of this
// file). BERTserini (Yang et al., "End-to-End Open-Domain Question
// Answering with BERTserini", 2019) likewise found paragraphs the best unit
// to hand a reader, better than articles or sentences. A paragraph is a
// line of a passage's text, as in lesson 08 (finetune.Paragraphs).
type ParagraphRanker struct {
	index *Index
	spans []Span // the paragraph of each of the index's documents
}

// NewParagraphRanker indexes the paragraphs of every passage of ps.
func NewParagraphRanker(ps []Passage) *ParagraphRanker {
	pr := &ParagraphRanker{}
	var docs []string
	for d, p := range ps {
		at := 0
		for line := range strings.SplitAfterSeq(p.Text, "\n") {
			start := at + len(line) - len(strings.TrimLeftFunc(line, unicode.IsSpace))
			end := at + len(strings.TrimRightFunc(line, unicode.IsSpace))
			if start < end {
				pr.spans = append(pr.spans, Span{d, start, end})
				docs = append(docs, p.Text[start:end])
			}
			at += len(line)
		}
	}
	pr.index = NewIndex(docs, SyllableBigrams)
	return pr
}

// Best returns the m (at least 1) paragraphs of passages top that best
// match the question, best first; fewer when fewer share a term with it.
func (pr *ParagraphRanker) Best(question string, top []int, m int) []Span {
	var out []Span
	for _, h := range pr.index.Search(question, pr.index.Len()) {
		if s := pr.spans[h.Doc]; slices.Contains(top, s.Passage) {
			if out = append(out, s); len(out) == m {
				break
			}
		}
	}
	return out
}

// RetrieveThenRead answers lesson 08's questions (finetune.LoadFAQQA) from
// the Korean FAQ: the searcher's k best passages of ps for each question,
// read whole (paragraphs 0) or only their best paragraphs (paragraphs > 0,
// ParagraphRanker). It returns the answers, with their gold answer and gold
// passages filled in, and their exact match and F1 against the gold
// answers (finetune.Score): the end-to-end score.
func RetrieveThenRead(backend compute.Backend, r *finetune.Reader, s Searcher, ps []Passage, questions []finetune.QA, k, paragraphs int) ([]Answer, finetune.QAScores, error) {
	queries := make([]string, len(questions))
	for i, qa := range questions {
		queries[i] = qa.Question
	}
	top := Rank(s, queries, k)
	var pr *ParagraphRanker
	if paragraphs > 0 {
		pr = NewParagraphRanker(ps)
	}
	spans := make([][]Span, len(questions))
	for i, q := range queries {
		if pr != nil {
			spans[i] = pr.Best(q, top[i], paragraphs)
		} else {
			spans[i] = WholePassages(ps, top[i])
		}
	}
	answers, err := read(backend, r, queries, ps, spans)
	if err != nil {
		return nil, finetune.QAScores{}, err
	}
	gold := GoldPassages(ps, questions)
	texts := make([]string, len(answers))
	for i, qa := range questions {
		a := &answers[i]
		a.Retrieved, a.Gold, a.GoldPassages = top[i], qa.Answer, gold[i]
		para := foldSpace(qa.Context)
		a.GoldRead = slices.ContainsFunc(a.Read, func(s Span) bool {
			return slices.Contains(gold[i], s.Passage) && strings.Contains(foldSpace(ps[s.Passage].Text[s.Start:s.End]), para)
		})
		texts[i] = a.Text
	}
	return answers, finetune.Score(questions, texts), nil
}

// HitRate is the fraction of answers for which a passage that holds the
// gold paragraph was retrieved (Answer.Hit): how often the reader had a
// chance at all.
func HitRate(answers []Answer) float64 {
	return fraction(answers, Answer.Hit)
}

// GoldReadRate is the fraction of answers for which the gold paragraph was
// among what the reader read (Answer.GoldRead).
func GoldReadRate(answers []Answer) float64 {
	return fraction(answers, func(a Answer) bool { return a.GoldRead })
}

func fraction(answers []Answer, ok func(Answer) bool) float64 {
	if len(answers) == 0 {
		return 0
	}
	n := 0
	for _, a := range answers {
		if ok(a) {
			n++
		}
	}
	return float64(n) / float64(len(answers))
}

// GoldPassages maps the paragraph of each of lesson 08's questions to the
// passages of ps that hold it: those whose text contains the paragraph once
// both are cleaned (lesson 01's CleanText) and their runs of white space
// made single spaces. Lesson 08 cuts a page into lines, this lesson into
// sections, from the same HTML, so a paragraph lies inside one section.
// Passages of the question's page come first: only when none of them holds
// the paragraph are the other pages searched. A short paragraph can lie in
// two sections of one page (the line "예." does, in the kernel chapter);
// then both count as gold. A question whose paragraph is found nowhere maps
// to none (nil). All 901 of lesson 08's questions map, each to a passage of
// its own page; 4 to two passages (three one-line commands, and "예.").
//
//	paragraph "apt-get  install foo", passages of the page
//	["설치: apt-get install foo 하세요", "제거: apt-get remove foo"] -> [0]
func GoldPassages(ps []Passage, questions []finetune.QA) [][]int {
	texts := make([]string, len(ps))
	for i, p := range ps {
		texts[i] = foldSpace(p.Text)
	}
	out := make([][]int, len(questions))
	for i, qa := range questions {
		para := foldSpace(qa.Context)
		for _, samePage := range []bool{true, false} {
			for d, p := range ps {
				if (pageOf(p.ID) == qa.Page) == samePage && strings.Contains(texts[d], para) {
					out[i] = append(out[i], d)
				}
			}
			if out[i] != nil {
				break
			}
		}
	}
	return out
}

// foldSpace cleans text (corpus.CleanText) and turns every run of white
// space into one space.
func foldSpace(text string) string { return strings.Join(strings.Fields(corpus.CleanText(text)), " ") }

// pageOf is the page part of a passage ID: "kernel#s10.1" -> "kernel".
func pageOf(id string) string {
	page, _, _ := strings.Cut(id, "#")
	return page
}

// ReadingRow is one line of the lesson's retrieve-then-read table.
type ReadingRow struct {
	Name        string // "gold paragraph (lesson 08)", "BM25 top 3, whole passages", ...
	Scores      finetune.QAScores
	HitRate     float64       // HitRate (1 for the gold paragraph)
	GoldRead    float64       // GoldReadRate (1 for the gold paragraph)
	PerQuestion time.Duration // wall time per question, retrieval and reading
}

// CompareReading answers the questions from their gold paragraph (as lesson
// 08 measured the reader: the "oracle" that retrieval can at best reach),
// then with RetrieveThenRead for each k in ks and each number of
// paragraphs in paragraphs (0: whole passages), and times each run. name
// names the searcher in the rows ("BM25").
func CompareReading(backend compute.Backend, r *finetune.Reader, s Searcher, name string, ps []Passage, questions []finetune.QA, ks, paragraphs []int) ([]ReadingRow, error) {
	n := time.Duration(max(1, len(questions)))
	if _, err := r.Answer(backend, questions[:min(1, len(questions))]); err != nil { // compile the reader's graph before timing
		return nil, err
	}
	start := time.Now()
	oracle, err := r.Answer(backend, questions)
	if err != nil {
		return nil, err
	}
	texts := make([]string, len(oracle))
	for i, a := range oracle {
		texts[i] = a.Text
	}
	rows := []ReadingRow{{Name: "gold paragraph (lesson 08)", Scores: finetune.Score(questions, texts), HitRate: 1, GoldRead: 1, PerQuestion: time.Since(start) / n}}
	for _, k := range ks {
		for _, m := range paragraphs {
			start := time.Now()
			answers, scores, err := RetrieveThenRead(backend, r, s, ps, questions, k, m)
			if err != nil {
				return nil, err
			}
			what := "whole passages"
			if m > 0 {
				what = fmt.Sprintf("best %d paragraph(s)", m)
			}
			rows = append(rows, ReadingRow{Name: fmt.Sprintf("%s top %d, %s", name, k, what), Scores: scores,
				HitRate: HitRate(answers), GoldRead: GoldReadRate(answers), PerQuestion: time.Since(start) / n})
		}
	}
	return rows, nil
}

// ShowReading shows the rows of CompareReading as a table, in percent.
func ShowReading(rows []ReadingRow, questions int) {
	pct := func(v float64) string { return fmt.Sprintf("%.1f", 100*v) }
	var cells [][]string
	for _, r := range rows {
		cells = append(cells, []string{r.Name, pct(r.Scores.EM), pct(r.Scores.F1), pct(r.Scores.CharF1), pct(r.HitRate), pct(r.GoldRead),
			fmt.Sprintf("%.0f ms", r.PerQuestion.Seconds()*1000)})
	}
	show.Table([]string{fmt.Sprintf("%d questions: what the reader reads", questions), "exact match %", "F1 %", "character F1 %",
		"gold passage retrieved %", "gold paragraph read %", "time per question"}, cells)
}

// ShowAnswers shows n of the answers, evenly spread over the list: the
// question, the answer and the passage it came from, the gold answer with
// ✅ when the answer matches it exactly, and whether the passage holding
// the gold paragraph was among those read.
func ShowAnswers(answers []Answer, n int) {
	var b strings.Builder
	b.WriteString(`<div style="font-size:14px;line-height:1.6">`)
	n = min(n, len(answers))
	for k := range n {
		a := answers[k*len(answers)/n]
		mark := "❌"
		if finetune.ExactMatch(a.Text, a.Gold) == 1 {
			mark = "✅"
		}
		read := "not retrieved"
		if a.GoldRead {
			read = "read"
		} else if a.Hit() {
			read = "retrieved, not read"
		}
		source := "none of the passages gave a span"
		if a.Passage >= 0 {
			source = fmt.Sprintf("%s · %s · score %.2f", a.PassageID, a.Title, a.Score)
		}
		fmt.Fprintf(&b, `<div style="margin:8px 0;padding:6px 8px;border:1px solid #ddd;border-radius:4px">`+
			`<b>Q.</b> %s<br><b>answer:</b> <span style="background:#fff3a0">%s</span> <small>(%s)</small><br>`+
			`<b>gold:</b> <span style="color:#1a7f37">%s</span> %s <small>F1 %.2f · the gold paragraph: %s</small></div>`,
			html.EscapeString(a.Question), html.EscapeString(a.Text), html.EscapeString(source),
			html.EscapeString(a.Gold), mark, finetune.F1(a.Text, a.Gold), read)
	}
	b.WriteString(`</div>`)
	show.HTML(b.String())
}
