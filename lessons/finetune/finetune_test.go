package finetune

import (
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/baeum-go/baeum/lessons/tokenize"
	"github.com/baeum-go/baeum/mlx"
)

func TestPack(t *testing.T) {
	tokens, segments := Pack([]int32{10, 11}, nil, 6)
	if want := []int32{clsID, 10, 11, sepID, 0, 0}; !reflect.DeepEqual(tokens, want) {
		t.Errorf("single: tokens %v, want %v", tokens, want)
	}
	if want := []int32{0, 0, 0, 0, 0, 0}; !reflect.DeepEqual(segments, want) {
		t.Errorf("single: segments %v, want %v", segments, want)
	}
	tokens, segments = Pack([]int32{10, 11}, []int32{20}, 8)
	if want := []int32{clsID, 10, 11, sepID, 20, sepID, 0, 0}; !reflect.DeepEqual(tokens, want) {
		t.Errorf("pair: tokens %v, want %v", tokens, want)
	}
	if want := []int32{0, 0, 0, 0, 1, 1, 0, 0}; !reflect.DeepEqual(segments, want) {
		t.Errorf("pair: segments %v, want %v", segments, want)
	}
	// Too long: the longer text loses its last tokens first.
	tokens, segments = Pack([]int32{10, 11, 12, 13, 14}, []int32{20, 21, 22}, 8)
	if want := []int32{clsID, 10, 11, 12, sepID, 20, 21, sepID}; !reflect.DeepEqual(tokens, want) {
		t.Errorf("truncated pair: tokens %v, want %v", tokens, want)
	}
	if want := []int32{0, 0, 0, 0, 0, 1, 1, 1}; !reflect.DeepEqual(segments, want) {
		t.Errorf("truncated pair: segments %v, want %v", segments, want)
	}
	tokens, _ = Pack([]int32{10, 11, 12, 13}, nil, 4)
	if want := []int32{clsID, 10, 11, sepID}; !reflect.DeepEqual(tokens, want) {
		t.Errorf("truncated single: tokens %v, want %v", tokens, want)
	}
}

func TestDecodeSpan(t *testing.T) {
	all := []bool{true, true, true, true}
	tests := []struct {
		name       string
		start, end []float32
		can        []bool
		maxLen     int
		i, j       int
		ok         bool
	}{
		{"best pair", []float32{0, 5, 1, 0}, []float32{0, 1, 2, 6}, all, 4, 1, 3, true},
		{"too long", []float32{0, 5, 1, 0}, []float32{0, 1, 2, 6}, all, 2, 1, 2, true},
		{"end before start is never chosen", []float32{0, 0, 9, 0}, []float32{0, 9, 0, 1}, all, 4, 2, 3, true},
		{"question tokens are skipped", []float32{9, 1, 0, 0}, []float32{9, 0, 1, 0}, []bool{false, true, true, true}, 4, 1, 2, true},
		{"nothing valid", []float32{1, 2}, []float32{1, 2}, []bool{false, false}, 4, 0, 0, false},
	}
	// Only whole words: a span may not end inside one.
	if i, j, _, _ := DecodeSpan([]float32{5, 0, 0}, []float32{0, 9, 1}, []bool{true, false, true}, []bool{false, false, true}, 3); i != 0 || j != 2 {
		t.Errorf("DecodeSpan ended at (%d, %d), inside a word; want (0, 2)", i, j)
	}
	for _, tt := range tests {
		i, j, _, ok := DecodeSpan(tt.start, tt.end, tt.can, tt.can, tt.maxLen)
		if i != tt.i || j != tt.j || ok != tt.ok {
			t.Errorf("%s: DecodeSpan = (%d, %d, %v), want (%d, %d, %v)", tt.name, i, j, ok, tt.i, tt.j, tt.ok)
		}
	}
}

func TestSQuADMetrics(t *testing.T) {
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	tests := []struct {
		pred, gold    string
		em, f1, charF float64
	}{
		// SQuAD's own normalization: case, punctuation, articles, spaces.
		{"The Debian  Project!", "debian project", 1, 1, 1},
		{"an apple", "Apple.", 1, 1, 1},
		{"데비안 패키지 관리자", "패키지 관리자", 0, 0.8, 0.8}, // characters: precision 6/9, recall 6/6
		// Korean punctuation and quotes go too.
		{"“dpkg”", "dpkg", 1, 1, 1},
		{"「데비안」,", "데비안", 1, 1, 1},
		// A particle: no word in common, but most characters.
		{"dpkg는", "dpkg", 0, 0, 2 * (4.0 / 5) * 1 / (4.0/5 + 1)},
		{"apt", "dpkg", 0, 0, 2.0 / 7}, // they share the character p
		// Words counted with their multiplicity.
		{"x b b", "b", 0, 0.5, 0.5},
	}
	for _, tt := range tests {
		if em, f1, cf := ExactMatch(tt.pred, tt.gold), F1(tt.pred, tt.gold), CharF1(tt.pred, tt.gold); em != tt.em || !near(f1, tt.f1) || !near(cf, tt.charF) {
			t.Errorf("(%q, %q): EM %v F1 %v CharF1 %v, want %v %v %v", tt.pred, tt.gold, em, f1, cf, tt.em, tt.f1, tt.charF)
		}
	}
}

func TestExtendPositions(t *testing.T) {
	table := []float32{1, 2, 3, 4, 5, 6} // 3 rows of width 2
	if got, want := ExtendPositions(table, 2, 5), []float32{1, 2, 3, 4, 5, 6, 1, 2, 3, 4}; !reflect.DeepEqual(got, want) {
		t.Errorf("ExtendPositions to 5 rows = %v, want %v", got, want)
	}
	if got, want := ExtendPositions(table, 2, 2), []float32{1, 2, 3, 4}; !reflect.DeepEqual(got, want) {
		t.Errorf("ExtendPositions to 2 rows = %v, want %v", got, want)
	}
}

func TestOverlapAnswer(t *testing.T) {
	qa := QA{Question: "데비안 패키지를 설치하는 도구는?", Context: "데비안에서 패키지를 설치하는 도구는 dpkg 입니다. 다른 배포판은 rpm 을 씁니다."}
	if got := OverlapAnswer(qa, 1, 2); got != "dpkg" {
		t.Errorf("OverlapAnswer = %q, want dpkg (next to the question's words)", got)
	}
}

func TestFAQQA(t *testing.T) {
	needData(t)
	train, test, err := LoadFAQQA()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(train) + len(test); n < 300 {
		t.Errorf("%d questions, want at least 300", n)
	}
	if len(test) < 60 {
		t.Errorf("%d test questions, want at least 60", len(test))
	}
	trainPages := map[string]bool{}
	for _, qa := range train {
		trainPages[qa.Page] = true
		if slices.Contains(QATestPages, qa.Page) {
			t.Errorf("training question %q is about test page %s", qa.Question, qa.Page)
		}
	}
	for _, qa := range test {
		if trainPages[qa.Page] {
			t.Errorf("test page %s is also a training page", qa.Page)
		}
	}
	headings := map[string]bool{}
	for _, qa := range append(train, test...) {
		if qa.Context[qa.Start:qa.Start+len(qa.Answer)] != qa.Answer {
			t.Errorf("%s: %q is not at %d of its paragraph", qa.Page, qa.Answer, qa.Start)
		}
		headings[qa.Page] = true
	}
	// No question repeats one of the FAQ's headings ("10.1. ...?").
	for page := range headings {
		html, err := mlx.ReadDataFile("debian-faq/ko/" + page + ".ko.html")
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range Paragraphs(html) {
			num, heading, ok := strings.Cut(p, ". ")
			if !ok || strings.Trim(num, "0123456789.") != "" {
				continue
			}
			for _, qa := range append(train, test...) {
				if qa.Question == strings.TrimSpace(heading) {
					t.Errorf("%s: question %q copies a heading", page, qa.Question)
				}
			}
		}
	}
}

// needData skips a test that reads the data sets where they have no local copy
// (BAEUM_DATA, or the cache that `go run ./kernel data` fills).
func needData(t *testing.T) {
	t.Helper()
	if err := mlx.MissingData(); err != nil {
		t.Skip(err)
	}
}

func TestWindows(t *testing.T) {
	context := "데비안의 패키지 관리자는 dpkg 입니다. 그 위에서 apt 가 의존성을 풀어 줍니다. 소스 패키지는 dpkg-source 로 풉니다."
	tok, err := tokenize.TrainWordPiece(strings.Repeat(context+"\n", 2)+"관리자는 무엇인가요?", 150)
	if err != nil {
		t.Fatal(err)
	}
	qa := QA{Question: "의존성을 푸는 도구는?", Answer: "apt", Context: context, Start: strings.Index(context, "apt")}
	cfg := QAConfig{SeqLen: 24, MaxQuestion: 6, Stride: 8, MaxAnswer: 5}
	windows := Windows(tok, qa, 7, cfg)
	if len(windows) < 2 {
		t.Fatalf("%d windows; the paragraph needs several at 24 tokens", len(windows))
	}
	found := 0
	covered := map[[2]int]bool{}
	for _, w := range windows {
		if w.QA != 7 || len(w.Tokens) != cfg.SeqLen || len(w.Offsets) != cfg.SeqLen {
			t.Fatalf("window %+v: wrong index or length", w)
		}
		for i, o := range w.Offsets {
			if o[0] >= 0 {
				covered[o] = true
				if w.Segments[i] != 1 {
					t.Errorf("paragraph token %d is in segment %d, want 1", i, w.Segments[i])
				}
			}
		}
		if w.Start == 0 {
			continue
		}
		found++
		if got := context[w.Offsets[w.Start][0]:w.Offsets[w.End][1]]; got != "apt" {
			t.Errorf("window's answer tokens spell %q, want apt", got)
		}
		if !w.CanStart[w.Start] || !w.CanEnd[w.End] {
			t.Errorf("the answer does not start and end on word boundaries")
		}
	}
	if found == 0 {
		t.Error("no window holds the answer")
	}
	if _, offsets := tok.EncodeOffsets(context); len(covered) != len(offsets) {
		t.Errorf("windows cover %d of the paragraph's %d tokens", len(covered), len(offsets))
	}
}
