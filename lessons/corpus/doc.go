// Package corpus is lesson 01: collecting and cleaning a corpus, the first
// step of training a language model.
//
// The learner crawls a real small web site, the Debian FAQ in English and
// Korean served on 127.0.0.1, turns its pages into clean text, and removes
// low-quality and duplicate documents from 150,000 Korean movie reviews,
// measuring every step:
//
//	site, _ := corpus.ServeSite(corpus.SiteConfig{Faults: true})
//	defer site.Close()
//	res, _ := corpus.Crawl(ctx, site.URL, corpus.DefaultCrawl())
//	fmt.Println(res.Summary())                        // 33 pages, 5 skipped, 3 disallowed
//	docs := corpus.PageDocuments(res.Pages)           // HTML -> text -> CleanText
//
//	reviews, _ := corpus.LoadReviews()
//	clean, _ := corpus.CleanAll(reviews)              // NFC, control chars, spaces
//	kept, report := corpus.ApplyFilters(clean, corpus.ReviewFilters().Filters())
//	x, _ := corpus.PlantedExperiment(kept, corpus.DefaultPlant(), corpus.DefaultDedup())
//	fmt.Println(x.Score)                              // recall and precision of MinHash+LSH
//	d := corpus.Dedup(kept, corpus.DefaultDedup())    // exact, then near-duplicates
//	fmt.Println(corpus.CompareStats(corpus.Measure(reviews), corpus.Measure(d.KeptDocs(kept))))
//
// What the learner builds and learns, file by file:
//
//   - site.go: a loopback web site (the FAQ, or pages of your own) with a
//     robots.txt and pages that fail the ways real ones do (404, 500, a page
//     slower than any timeout, a redirect, an EUC-KR page), and the check
//     that a crawl fetched every allowed page exactly once;
//   - robots.go: a robots.txt parser (RFC 9309: groups, Allow/Disallow, the
//     longest rule wins, '*' and '$'). It is written by hand, not taken from
//     a library, because reading robots.txt correctly is part of the lesson;
//   - urls.go, crawl.go, fetch.go: a polite breadth-first crawler: URL normalization so
//     no page is fetched twice, robots.txt obeyed, N workers, a minimum delay
//     between requests, a per-request timeout, a page limit, and every
//     failure reported with its reason instead of a crash;
//   - html.go: HTML to text with a real HTML parser (golang.org/x/net/html),
//     dropping scripts, styles and the FAQ's navigation blocks, keeping
//     paragraphs;
//   - normalize.go: Unicode normalization (한 is one code point in NFC,
//     three jamo in NFD) and cleanup of invisible and control characters;
//   - filter.go, stats.go: quality filters (length, symbols, repeated lines,
//     Hangul ratio) that report what each removed, and before/after numbers;
//   - minhash.go, dedup.go: exact deduplication by SHA-256, and
//     near-duplicate detection with MinHash signatures over character
//     shingles and LSH banding, whose S-curve 1-(1-s^r)^b the learner plots;
//   - plant.go, evaluate.go: the proof that it works: real reviews are copied
//     with small edits, and the deduplicator must find those pairs (recall)
//     without inventing others (precision).
//
// Left out on purpose: JavaScript rendering, sitemaps, Crawl-delay,
// per-host queues for many sites, charset detection and decoding (a page
// that is not UTF-8 is skipped with the reason), boilerplate removal by
// machine learning, language identification beyond counting Hangul,
// suffix-array substring deduplication, and model-based quality scores
// (perplexity filters). Each is a real part of a production pipeline and
// each would hide the few ideas above.
package corpus
