package corpus_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/baeum-go/baeum/lessons/corpus"
)

func ExampleParseRobots() {
	robots := corpus.ParseRobots(`
User-agent: *
Disallow: /private/
Allow: /private/open.html
Disallow: /*.pdf$
`)
	for _, path := range []string{"/index.html", "/private/notes.html", "/private/open.html", "/a/b.pdf", "/a/b.pdf?page=2"} {
		fmt.Printf("%-20s %v\n", path, robots.Test("BaeumBot/0.1", path))
	}
	// Output:
	// /index.html          allowed (no rule matches)
	// /private/notes.html  disallowed by Disallow: /private/
	// /private/open.html   allowed by Allow: /private/open.html
	// /a/b.pdf             disallowed by Disallow: /*.pdf$
	// /a/b.pdf?page=2      allowed (no rule matches)
}

func ExampleRobots_Allowed() {
	robots := corpus.ParseRobots(corpus.DefaultRobots)
	fmt.Println(robots.Allowed("BaeumBot", "/ko/kernel.ko.html"))
	fmt.Println(robots.Allowed("BaeumBot", "/ko/faqinfo.ko.html"))
	fmt.Println(robots.Allowed("ExampleBot", "/ko/kernel.ko.html"))
	// Output:
	// true
	// false
	// false
}

func ExampleNormalizeURL() {
	base := "http://127.0.0.1:8080/en/index.en.html"
	for _, href := range []string{"basic-defs.en.html#whatisfaq", "../ko/./index.ko.html", "HTTP://Example.ORG:80/a//b/../c", "mailto:doc@debian.org"} {
		u, err := corpus.NormalizeURL(base, href)
		if err != nil {
			fmt.Println("not followed:", href)
			continue
		}
		fmt.Println(u)
	}
	// Output:
	// http://127.0.0.1:8080/en/basic-defs.en.html
	// http://127.0.0.1:8080/ko/index.ko.html
	// http://example.org/a/c
	// not followed: mailto:doc@debian.org
}

func ExampleHTMLToText() {
	page := `<html><head><title>FAQ</title><style>p {color: red}</style></head><body>
<div class="navheader"><a href="prev.html">Prev</a></div>
<h1>1. What is Debian?</h1>
<p>Debian is   a <b>free</b> operating system &amp; more.</p>
<ul><li>stable</li><li>testing</li></ul>
<pre>apt-get update
apt-get upgrade</pre>
<script>track()</script></body></html>`
	fmt.Println(corpus.HTMLToText([]byte(page)))
	// Output:
	// 1. What is Debian?
	//
	// Debian is a free operating system & more.
	//
	// - stable
	// - testing
	//
	// apt-get update
	// apt-get upgrade
}

func ExampleExtractLinks() {
	page := `<p>See <a href="support.en.html#debiandocs">12.1</a> and <a href="https://www.debian.org/">debian.org</a>.</p>`
	fmt.Println(corpus.ExtractLinks([]byte(page)))
	// Output:
	// [support.en.html#debiandocs https://www.debian.org/]
}

func ExampleParagraphs() {
	fmt.Printf("%q\n", corpus.Paragraphs("Title\n\nFirst paragraph.\n\n- item\n- item"))
	// Output:
	// ["Title" "First paragraph." "- item\n- item"]
}

func ExampleCompareNormalForms() {
	fmt.Println(corpus.CompareNormalForms("한"))
	// Output:
	// "한"
	// NFC: U+D55C (1 code point, 3 bytes)
	// NFD: U+1112 U+1161 U+11AB (3 code points, 9 bytes)
	// NFC == NFD as Go strings: false
}

func ExampleCodePoints() {
	fmt.Println(corpus.CodePoints("한국"))
	// Output:
	// [U+D55C U+AD6D]
}

func ExampleCleanText() {
	fmt.Printf("%q\n", corpus.CleanText("  한\u200B국어\t\t텍스트 \r\n\r\n\r\n끝 "))
	nfd := "\u1112\u1161\u11ab" // 한 as three jamo
	fmt.Println(len(nfd), len(corpus.CleanText(nfd)))
	// Output:
	// "한국어 텍스트\n\n끝"
	// 9 3
}

func ExampleCleanAll() {
	_, report := corpus.CleanAll([]string{"좋아요\u200B!", "\u1112\u1161\u11ab 번 더", "  그냥   그래요  "})
	fmt.Println(report)
	// Output:
	// cleaned 3 docs: 3 changed (1 by NFC), removed 0 control and 1 zero-width chars, folded 3 white-space runs, 0 left empty
}

func ExampleHangulRatio() {
	fmt.Printf("%.2f %.2f %.2f\n", corpus.HangulRatio("정말 재밌다"), corpus.HangulRatio("TRUST 짐캐리"), corpus.HangulRatio("ㅋㅋㅋ"))
	// Output:
	// 1.00 0.38 1.00
}

func ExampleSymbolRatio() {
	fmt.Printf("%.2f %.2f\n", corpus.SymbolRatio("좋아요!"), corpus.SymbolRatio("...^^;;"))
	// Output:
	// 0.25 1.00
}

func ExampleRepeatedLineRatio() {
	fmt.Printf("%.2f\n", corpus.RepeatedLineRatio("메뉴\n본문입니다\n메뉴\n메뉴"))
	// Output:
	// 0.50
}

func ExampleApplyFilters() {
	docs := []string{"이 영화 정말 재미있어요", "굿", "?!?!?!?!?!?!", "Great movie, loved it", "배우들 연기가 좋았다"}
	kept, report := corpus.ApplyFilters(docs, corpus.ReviewFilters().Filters())
	fmt.Println(report)
	fmt.Printf("%q\n", kept)
	// Output:
	// filter          rule                                     in  removed
	// min-length      at least 10 characters                    5        1
	// max-length      at most 1000 characters                   4        0
	// symbols         symbol ratio at most 0.30                 4        1
	// repeated-lines  repeated-line ratio at most 0.30          3        0
	// hangul          Hangul ratio at least 0.50                3        1
	// kept 2 of 5 documents (40.0%)
	// ["이 영화 정말 재미있어요" "배우들 연기가 좋았다"]
}

func ExampleFilterConfig_Filters() {
	for _, f := range (corpus.FilterConfig{MinRunes: 10, MinHangulRatio: 0.5}).Filters() {
		fmt.Println(f.Name, "-", f.Rule)
	}
	fmt.Println(len(corpus.PageFilters().Filters()), "filters for web pages,", len(corpus.ReviewFilters().Filters()), "for reviews")
	// Output:
	// min-length - at least 10 characters
	// hangul - Hangul ratio at least 0.50
	// 4 filters for web pages, 5 for reviews
}

func ExampleMeasure() {
	before := corpus.Measure([]string{"좋아요", "좋아요", "Great!", "정말 최고의 영화"})
	after := corpus.Measure([]string{"좋아요", "정말 최고의 영화"})
	fmt.Printf("%d docs, %d chars, Hangul ratio %.3f\n", before.Docs, before.Chars, before.HangulRatio)
	fmt.Println(corpus.CompareStats(before, after))
	// Output:
	// 4 docs, 21 chars, Hangul ratio 0.722
	//                     before        after    change
	// documents                4            2    -50.0%
	// unique                   3            2    -33.3%
	// empty                    0            0         -
	// characters              21           12    -42.9%
	// bytes                   47           32    -31.9%
	// lines                    4            2    -50.0%
	// mean chars             5.2          6.0    +14.3%
	// Hangul ratio         0.722        1.000    +38.5%
}

func ExampleShingles() {
	fmt.Println(corpus.Shingles("정말 재밌다", 3))
	// Output:
	// [정말재 말재밌 재밌다]
}

func ExampleJaccard() {
	fmt.Printf("%.2f\n", corpus.Jaccard("내 인생 최고의 영화", "내 인생 최고의 영화!!", 3))
	fmt.Printf("%.2f\n", corpus.Jaccard("내 인생 최고의 영화", "시간 낭비였다", 3))
	// Output:
	// 0.75
	// 0.00
}

func ExampleMinHasher() {
	a := "배우들의 연기가 정말 좋았고 음악도 훌륭했던 영화입니다"
	b := "배우들의 연기가 정말 좋았고 음악도 훌륭했던 영화였어요"
	m := corpus.NewMinHasher(200, 1)
	fmt.Printf("exact %.2f, estimated with 200 hashes %.2f\n",
		corpus.Jaccard(a, b, 3), corpus.EstimateJaccard(m.Signature(a, 3), m.Signature(b, 3)))
	// Output:
	// exact 0.76, estimated with 200 hashes 0.78
}

// A signature value is the smallest hash of any shingle: Hash lets one
// compute it by hand.
func ExampleMinHasher_Hash() {
	m := corpus.NewMinHasher(4, 1)
	sig := m.Signature("abcd", 3) // shingles "abc" and "bcd"
	for i := range m.NumHashes() {
		fmt.Println(sig[i] == min(m.Hash(i, "abc"), m.Hash(i, "bcd")))
	}
	// Output:
	// true
	// true
	// true
	// true
}

func ExampleSCurve() {
	b, r := 24, 3
	fmt.Printf("threshold %.3f\n", corpus.LSHThreshold(b, r))
	for _, s := range []float64{0.2, 0.4, 0.5, 0.6, 0.8} {
		fmt.Printf("s=%.1f P(candidate)=%.3f\n", s, corpus.SCurve(s, b, r))
	}
	// Output:
	// threshold 0.347
	// s=0.2 P(candidate)=0.175
	// s=0.4 P(candidate)=0.796
	// s=0.5 P(candidate)=0.959
	// s=0.6 P(candidate)=0.997
	// s=0.8 P(candidate)=1.000
}

func ExampleDedup() {
	docs := []string{
		"이 영화 정말 재미있어요 배우들 연기도 최고",
		"이 영화 정말 재미있어요  배우들 연기도 최고", // the same, one more space
		"이 영화 정말 재미있어요 배우들 연기도 최고!", // one more character
		"스토리가 지루하고 결말이 허무했습니다",
	}
	r := corpus.Dedup(docs, corpus.DefaultDedup())
	fmt.Println("exact", r.ExactRemoved, "near", r.NearRemoved, "kept", r.Kept, "duplicate of", r.DuplicateOf)
	fmt.Printf("%q\n", r.KeptDocs(docs))
	for _, p := range r.Pairs {
		fmt.Printf("%d~%d J=%.2f\n", p.A, p.B, p.Jaccard)
	}
	// Output:
	// exact 1 near 1 kept [0 3] duplicate of [-1 0 0 -1]
	// ["이 영화 정말 재미있어요 배우들 연기도 최고" "스토리가 지루하고 결말이 허무했습니다"]
	// 0~2 J=0.94
}

func ExampleEvaluate() {
	truth := []corpus.Pair{{A: 0, B: 1}, {A: 2, B: 3}}
	found := []corpus.Pair{{A: 1, B: 0}, {A: 4, B: 5}}
	fmt.Println(corpus.Evaluate(found, truth))
	// Output:
	// recall 0.5000 (1 of 2 true pairs found), precision 0.5000 (1 of 2 found pairs true)
}

func ExamplePlantNearDuplicates() {
	pool := []string{
		"배우들의 연기가 정말 좋았고 음악도 훌륭했던 영화입니다",
		"스토리가 너무 지루해서 중간에 잠들어 버렸습니다 아쉽네요",
		"가족과 함께 보기 좋은 따뜻한 영화였어요 추천합니다",
	}
	pl, err := corpus.PlantNearDuplicates(pool, corpus.PlantConfig{Originals: 1, Distractors: 2, MinRunes: 10, MaxEdits: 2, Seed: 1}, 3, 0.5)
	if err != nil {
		fmt.Println(err)
		return
	}
	p := pl.Truth[0]
	fmt.Println(len(pl.Docs), "docs; planted:", pl.Edits[0])
	fmt.Printf("%q\n%q\nJaccard %.2f\n", pl.Docs[p.A], pl.Docs[p.B], p.Jaccard)
	// Output:
	// 4 docs; planted: insert char '따'; replace word "따뜻한"->"연기가"
	// "가족과 함께 보기 좋은 따뜻한 영화였어요 추천합니다"
	// "가족과 함께 보기 좋은 연기가 영화였어요 추천따합니다"
	// Jaccard 0.46
}

// ExampleCrawl crawls a small practice site with every fault page switched
// on (the lesson does the same on the Debian FAQ: SiteConfig{Faults: true}).
func ExampleCrawl() {
	site, err := corpus.ServeSite(corpus.SiteConfig{Faults: true, Pages: map[string]string{
		"/a.html":             `<p>A links to <a href="b.html#part2">B</a> and to <a href="./a.html">itself</a>.</p>`,
		"/b.html":             `<p>B links to <a href="http://127.0.0.1/a.html">port 80, another site</a> and <a href="/private/x.html">a private page</a>.</p>`,
		"/private/notes.html": `<p>robots.txt keeps crawlers out of /private/.</p>`,
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer site.Close()
	cfg := corpus.DefaultCrawl()
	cfg.Timeout = 200 * time.Millisecond
	res, err := corpus.Crawl(context.Background(), site.URL, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range res.Pages {
		fmt.Println("fetched", strings.TrimPrefix(p.URL, site.URL))
	}
	for _, s := range res.Skipped {
		fmt.Println("skipped", strings.TrimPrefix(s.URL, site.URL), "-", s.Reason)
	}
	for _, d := range res.Disallowed {
		fmt.Println("disallowed", strings.TrimPrefix(d, site.URL))
	}
	fmt.Println("off-site", res.OffSite, "check:", site.CheckCrawl(res))
	// Output:
	// fetched /
	// fetched /a.html
	// fetched /b.html
	// skipped /fault/error.html - HTTP 500 Internal Server Error
	// skipped /fault/euc-kr.html - not UTF-8: the server says charset=euc-kr; decode it first (golang.org/x/text/encoding) or leave it out
	// skipped /fault/missing.html - HTTP 404 Not Found
	// skipped /fault/moved.html - HTTP 301 Moved Permanently: redirect to / (the target is handled as a new link)
	// skipped /fault/slow.html - timed out after 200ms (CrawlConfig.Timeout)
	// disallowed /private/notes.html
	// disallowed /private/x.html
	// off-site 2 check: <nil>
}

func ExamplePageDocuments() {
	site, err := corpus.ServeSite(corpus.SiteConfig{Pages: map[string]string{
		"/": `<nav>menu</nav><h1>제목</h1><p>첫 문단​입니다.</p><footer>© 2026</footer>`,
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer site.Close()
	res, _ := corpus.Crawl(context.Background(), site.URL, corpus.CrawlConfig{})
	docs := corpus.PageDocuments(res.Pages)
	fmt.Printf("%q\n", corpus.Texts(docs))
	// Output:
	// ["제목\n\n첫 문단입니다."]
}

// ExampleLoadReviews needs the data folder (BAEUM_DATA=../shared/data), so
// it is compiled but not run; TestLoadReviews checks the same.
func ExampleLoadReviews() {
	reviews, err := corpus.LoadReviews()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(reviews), reviews[0]) // 150000 기대를 저버리지않았음 인정
}

func ExamplePlantedExperiment() {
	pool := []string{
		"배우들의 연기가 정말 좋았고 음악도 훌륭했던 영화입니다",
		"스토리가 너무 지루해서 중간에 잠들어 버렸습니다 아쉽네요",
		"가족과 함께 보기 좋은 따뜻한 영화였어요 추천합니다",
		"액션 장면은 화려하지만 이야기가 너무 뻔해서 실망했어요",
		"원작 소설을 읽고 봤는데 생각보다 잘 옮겨 놓았더라구요",
		"마지막 반전에 소름이 돋았습니다 다시 보고 싶은 영화",
		"주인공의 성장 과정이 자연스럽게 그려져서 감동적이었다",
		"영상미가 뛰어나고 색감이 아름다워서 눈이 즐거웠어요",
		"코미디라고 해서 봤는데 하나도 웃기지 않아서 당황했다",
		"어린 시절 추억이 떠올라서 눈물이 났던 영화였습니다",
		"감독의 전작보다 훨씬 나아진 연출이 돋보이는 작품이다",
		"두 시간이 금방 지나갈 만큼 몰입감이 대단한 영화예요",
	}
	cfg := corpus.PlantConfig{Originals: 4, Distractors: 8, MinRunes: 20, MaxEdits: 1, Seed: 1}
	x, err := corpus.PlantedExperiment(pool, cfg, corpus.DefaultDedup())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(x.Score)
	fmt.Println(x.Planted.Edits[0])
	// Output:
	// recall 1.0000 (4 of 4 true pairs found), precision 1.0000 (4 of 4 found pairs true)
	// delete char '는'
}

func ExampleMarkupLeft() {
	fmt.Printf("%q\n", corpus.MarkupLeft("a <b>bold</b> word"))
	fmt.Printf("%q\n", corpus.MarkupLeft("apt-get install <foo>"))
	fmt.Printf("%q\n", corpus.MarkupLeft(corpus.HTMLToText([]byte("<p>a &lt;foo&gt; and <b>bold</b></p>"))))
	// Output:
	// "<b>"
	// ""
	// ""
}
