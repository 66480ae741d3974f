package finetune

import (
	"bufio"
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/baeum-go/baeum/lessons/corpus"
	"github.com/baeum-go/baeum/mlx"
)

//go:embed faqqa/ko/*.jsonl
var faqQAFiles embed.FS

// QA is one extractive question: the answer is the span
// Context[Start:Start+len(Answer)] (bytes) of a paragraph of an FAQ page.
type QA struct {
	Page     string // the page's file name without .ko.html, e.g. "kernel"
	Question string
	Answer   string
	Context  string // the paragraph
	Start    int    // byte offset of the answer in Context (its first occurrence)
}

// QATestPages are the FAQ pages held out for testing: no question about them,
// and no paragraph of them, is used in training. (Lesson 07's BERT did read
// their text while pretraining, as a real BERT has read Wikipedia before it
// answers SQuAD's questions about Wikipedia.)
var QATestPages = []string{"faqinfo", "kernel", "software", "support", "uptodate"}

// Paragraphs are the non-empty lines of a page's text (lesson 01's
// corpus.HTMLToText), trimmed: the "p" of the question files counts them.
func Paragraphs(html []byte) []string {
	var out []string
	for line := range strings.SplitSeq(corpus.HTMLToText(html), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// LoadFAQQA reads the course's questions about the Korean Debian FAQ
// (faqqa/ko/<page>.jsonl, written for this lesson; see faqqa/README.md)
// and finds each answer in its paragraph of the page (debian-faq/ko/
// <page>.ko.html, lesson 01's data). It returns the questions of the
// training pages and of QATestPages. An answer that is not found verbatim
// in its paragraph is an error naming the file and line.
func LoadFAQQA() (train, test []QA, err error) {
	files, err := faqQAFiles.ReadDir("faqqa/ko")
	if err != nil {
		return nil, nil, err
	}
	for _, f := range files {
		page := strings.TrimSuffix(f.Name(), ".jsonl")
		qas, err := loadPageQA(page)
		if err != nil {
			return nil, nil, err
		}
		if slices.Contains(QATestPages, page) {
			test = append(test, qas...)
		} else {
			train = append(train, qas...)
		}
	}
	return train, test, nil
}

func loadPageQA(page string) ([]QA, error) {
	html, err := mlx.ReadDataFile("debian-faq/ko/" + page + ".ko.html")
	if err != nil {
		return nil, err
	}
	paras := Paragraphs(html)
	name := path.Join("faqqa/ko", page+".jsonl")
	b, err := faqQAFiles.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var out []QA
	sc := bufio.NewScanner(bytes.NewReader(b))
	for line := 1; sc.Scan(); line++ {
		var r struct {
			Q, A string
			P    int
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("finetune: %s line %d: %w", name, line, err)
		}
		if r.P < 0 || r.P >= len(paras) {
			return nil, fmt.Errorf("finetune: %s line %d: paragraph %d, the page has %d", name, line, r.P, len(paras))
		}
		start := strings.Index(paras[r.P], r.A)
		if r.Q == "" || r.A == "" || start < 0 {
			return nil, fmt.Errorf("finetune: %s line %d: answer %q is not in paragraph %d of %s.ko.html", name, line, r.A, r.P, page)
		}
		out = append(out, QA{Page: page, Question: r.Q, Answer: r.A, Context: paras[r.P], Start: start})
	}
	return out, sc.Err()
}
