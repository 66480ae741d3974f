package retrieval

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/baeum-go/baeum/lessons/finetune"
	"github.com/baeum-go/baeum/lessons/pretrain"
	"github.com/baeum-go/baeum/lessons/tokenize"
	"github.com/baeum-go/baeum/lessons/transformer"
	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/gomlx/ml/model"
)

// Three toy sections of one page, two lines each; the second line of
// each starts after an indent, so that a paragraph's span does not start
// at its line's first byte.
var toyPassages = []Passage{
	{ID: "toy#apt", Title: "APT", Text: "apt는 데비안의 패키지 관리자입니다.\n  패키지를 설치하려면 apt install 패키지를 실행합니다."},
	{ID: "toy#dpkg", Title: "dpkg", Text: "dpkg는 저수준 패키지 도구입니다.\n  설치된 패키지 목록은 dpkg -l 명령으로 봅니다."},
	{ID: "toy#kernel", Title: "커널", Text: "데비안의 커널은 리눅스입니다.\n  커널을 바꾸려면 새 커널 패키지를 설치합니다."},
}

// toyReader is a reader with fresh random weights (seed 1) and a WordPiece
// trained on the toy passages: it has learnt nothing, but its spans have
// scores, which is all that choosing among passages needs. The tests share
// it, so its graph is compiled once.
func toyReader(t *testing.T) *finetune.Reader {
	t.Helper()
	r, err := sharedToyReader()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

var sharedToyReader = sync.OnceValues(func() (*finetune.Reader, error) {
	tok, err := tokenize.TrainWordPiece(strings.Join(Documents(toyPassages), "\n"), 200)
	if err != nil {
		return nil, err
	}
	b := &pretrain.BERT{Config: transformer.Config{SrcVocab: tok.VocabSize(), Dim: 16, Heads: 2, EncoderLayers: 1, MLPRatio: 2, MaxLen: 16, InitStd: 0.02}, Tok: tok}
	store := model.NewStore()
	store.SetParam(model.ParamInitialSeed, int64(1))
	cfg := finetune.QAConfig{SeqLen: 24, MaxQuestion: 8, Stride: 6, MaxAnswer: 6}
	return &finetune.Reader{Start: finetune.Start{BERT: b, Init: finetune.Random}, Config: cfg, Store: store}, nil
})

func TestReadFromPassagesKeepsTheBestScore(t *testing.T) {
	backend, r := mlx.MustBackend(), toyReader(t)
	q := "패키지 목록은 어떻게 보나요?"
	best := -1
	var single []Answer
	for d := range toyPassages {
		a, err := ReadFromPassages(backend, r, q, toyPassages, []int{d})
		if err != nil {
			t.Fatal(err)
		}
		if a.Passage != d || a.Text == "" || toyPassages[d].Text[a.Start:a.End] != a.Text {
			t.Fatalf("passage %d alone: %+v", d, a)
		}
		if best < 0 || a.Score > single[best].Score {
			best = d
		}
		single = append(single, a)
	}
	for _, top := range [][]int{{0, 1, 2}, {2, 0, 1}} {
		a, err := ReadFromPassages(backend, r, q, toyPassages, top)
		if err != nil {
			t.Fatal(err)
		}
		want := single[best]
		if a.Passage != best || a.PassageID != toyPassages[best].ID || a.Text != want.Text || a.Start != want.Start || a.Score != want.Score {
			t.Errorf("top %v: %+v, want passage %d's answer %+v (scores alone: %.4f %.4f %.4f)",
				top, a, best, want, single[0].Score, single[1].Score, single[2].Score)
		}
	}
	// A span inside a passage: the answer's range is in the passage's text.
	para := NewParagraphRanker(toyPassages).spans[3] // the indented second line of passage 1
	a, err := ReadSpans(backend, r, q, toyPassages, []Span{para})
	if err != nil {
		t.Fatal(err)
	}
	if a.Passage != 1 || a.Start < para.Start || a.End > para.End || toyPassages[1].Text[a.Start:a.End] != a.Text {
		t.Errorf("reading %+v: %+v", para, a)
	}
}

func TestParagraphRanker(t *testing.T) {
	pr := NewParagraphRanker(toyPassages)
	if len(pr.spans) != 6 {
		t.Fatalf("%d paragraphs, want 6", len(pr.spans))
	}
	for _, s := range pr.spans {
		if text := toyPassages[s.Passage].Text[s.Start:s.End]; text != strings.TrimSpace(text) || strings.Contains(text, "\n") {
			t.Errorf("paragraph %+v is %q: not one trimmed line", s, text)
		}
	}
	q := "설치된 패키지 목록 보는 명령"
	got := pr.Best(q, []int{0, 1, 2}, 2)
	if len(got) != 2 || got[0] != pr.spans[3] {
		t.Errorf("Best(%q) = %v, want the second line of passage 1 (%v) first", q, got, pr.spans[3])
	}
	for _, s := range pr.Best(q, []int{0, 2}, 5) {
		if s.Passage == 1 {
			t.Errorf("Best kept a paragraph of passage 1, which was not retrieved: %v", s)
		}
	}
}

func TestRetrieveThenRead(t *testing.T) {
	backend, r := mlx.MustBackend(), toyReader(t)
	questions := []finetune.QA{
		{Page: "toy", Question: "설치된 패키지 목록을 보는 dpkg 명령은?", Answer: "dpkg -l", Context: "설치된 패키지 목록은 dpkg -l 명령으로 봅니다."},
		{Page: "toy", Question: "커널을 바꾸려면?", Answer: "dpkg", Context: "dpkg는 저수준 패키지 도구입니다."}, // its paragraph is not retrieved
	}
	ix := NewIndex(Documents(toyPassages), SyllableBigrams)
	for _, paragraphs := range []int{0, 1} {
		answers, scores, err := RetrieveThenRead(backend, r, ix, toyPassages, questions, 1, paragraphs)
		if err != nil {
			t.Fatal(err)
		}
		var texts []string
		for i, a := range answers {
			texts = append(texts, a.Text)
			if a.Gold != questions[i].Answer || !reflect.DeepEqual(a.GoldPassages, []int{1}) || a.Question != questions[i].Question {
				t.Errorf("paragraphs %d, question %d: gold %q %v", paragraphs, i, a.Gold, a.GoldPassages)
			}
			if want := Rank(ix, []string{a.Question}, 1)[0]; !reflect.DeepEqual(a.Retrieved, want) {
				t.Errorf("paragraphs %d, question %d: retrieved %v, the index ranks %v", paragraphs, i, a.Retrieved, want)
			}
		}
		if got := finetune.Score(questions, texts); got != scores {
			t.Errorf("paragraphs %d: scores %+v, the answers score %+v", paragraphs, scores, got)
		}
		if !answers[0].Hit() || !answers[0].GoldRead || answers[1].Hit() || answers[1].GoldRead {
			t.Errorf("paragraphs %d: hit %v %v, gold read %v %v; want the first question's passage and paragraph read, not the second's",
				paragraphs, answers[0].Hit(), answers[1].Hit(), answers[0].GoldRead, answers[1].GoldRead)
		}
		if HitRate(answers) != 0.5 || GoldReadRate(answers) != 0.5 {
			t.Errorf("paragraphs %d: hit rate %v, gold read %v, want 0.5 and 0.5", paragraphs, HitRate(answers), GoldReadRate(answers))
		}
		if paragraphs == 1 && (len(answers[0].Read) != 1 || answers[0].Read[0].Start == 0) {
			t.Errorf("one paragraph: read %v, want the second line of passage 1", answers[0].Read)
		}
		ShowAnswers(answers, 5) // a no-op outside a notebook; must not fail
	}
}

// TestGoldPassagesFAQ maps every question of lesson 08 to the Korean FAQ's
// passages.
func TestGoldPassagesFAQ(t *testing.T) {
	needFAQ(t)
	ps, err := Passages("ko")
	if err != nil {
		t.Fatal(err)
	}
	train, test, err := finetune.LoadFAQQA()
	if err != nil {
		t.Fatal(err)
	}
	all := append(train, test...)
	var ambiguous []string
	for i, gold := range GoldPassages(ps, all) {
		qa := all[i]
		if len(gold) == 0 {
			t.Errorf("%s: paragraph %q is in no passage", qa.Page, qa.Context)
		}
		for _, d := range gold {
			if pageOf(ps[d].ID) != qa.Page || !strings.Contains(foldSpace(ps[d].Text), foldSpace(qa.Context)) {
				t.Errorf("%s: %q mapped to %s", qa.Page, qa.Context, ps[d].ID)
			}
		}
		if len(gold) > 1 {
			ambiguous = append(ambiguous, qa.Context)
		}
	}
	// Lines short enough to occur twice in a page: commands, and "예." ("Yes.").
	if len(ambiguous) > len(all)/100 {
		t.Errorf("%d of %d paragraphs lie in more than one passage: %q", len(ambiguous), len(all), ambiguous)
	}
	gold := GoldPassages(ps, test[:1])
	if len(gold[0]) != 1 || ps[gold[0][0]].ID != "faqinfo#authors" {
		t.Errorf("%q: gold passages %v, want faqinfo#authors", test[0].Question, gold[0])
	}
}

func ExampleGoldPassages() {
	ps := []Passage{
		{ID: "a#install", Text: "설치: apt-get install foo 하세요"},
		{ID: "a#remove", Text: "제거:\napt-get remove foo"},
		{ID: "b#remove", Text: "apt-get remove foo"},
	}
	qs := []finetune.QA{
		{Page: "a", Context: "apt-get  install foo"}, // white space differs
		{Page: "a", Context: "apt-get remove foo"},   // in page b too: page a's passage wins
		{Page: "a", Context: "apt-get purge foo"},
	}
	fmt.Println(GoldPassages(ps, qs))
	// Output: [[0] [1] []]
}

func ExampleWholePassages() {
	fmt.Println(WholePassages(toyPassages, []int{2, 0}))
	// Output: [{2 0 108} {0 0 122}]
}

func ExampleParagraphRanker_Best() {
	pr := NewParagraphRanker(toyPassages)
	for _, s := range pr.Best("커널 패키지를 설치하려면?", []int{0, 2}, 2) {
		fmt.Printf("%s: %s\n", toyPassages[s.Passage].ID, toyPassages[s.Passage].Text[s.Start:s.End])
	}
	// Output:
	// toy#apt: 패키지를 설치하려면 apt install 패키지를 실행합니다.
	// toy#kernel: 커널을 바꾸려면 새 커널 패키지를 설치합니다.
}
