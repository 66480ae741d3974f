package corpus

import "testing"

// The cases follow RFC 9309 (sections 2.2.2 and 2.2.3 for matching and
// precedence, 2.1 for groups) and DefaultRobots.
func TestRobots(t *testing.T) {
	const bot = "BaeumBot/0.1 (+https://github.com/baeum-go/baeum)"
	tests := []struct {
		name, robots, agent, path string
		allowed                   bool
		rule                      string
	}{
		{"empty file allows all", "", bot, "/a", true, ""},
		{"disallow all", "User-agent: *\nDisallow: /", bot, "/a", false, "Disallow: /"},
		{"robots.txt itself always allowed", "User-agent: *\nDisallow: /", bot, "/robots.txt", true, "(robots.txt is always allowed)"},
		{"prefix match", "User-agent: *\nDisallow: /private/", bot, "/private/x.html", false, "Disallow: /private/"},
		{"prefix does not match sibling", "User-agent: *\nDisallow: /private/", bot, "/privateer", true, ""},
		{"longer allow wins", "User-agent: *\nDisallow: /private/\nAllow: /private/open.html", bot, "/private/open.html", true, "Allow: /private/open.html"},
		{"longer disallow wins", "User-agent: *\nAllow: /docs\nDisallow: /docs/old/", bot, "/docs/old/a", false, "Disallow: /docs/old/"},
		{"tie goes to allow", "User-agent: *\nDisallow: /page\nAllow: /page", bot, "/page", true, "Allow: /page"},
		{"empty disallow allows", "User-agent: *\nDisallow:", bot, "/a", true, ""},
		{"wildcard", "User-agent: *\nDisallow: /*/faqinfo.", bot, "/ko/faqinfo.ko.html", false, "Disallow: /*/faqinfo."},
		{"wildcard needs the slash", "User-agent: *\nDisallow: /*/faqinfo.", bot, "/faqinfo.html", true, ""},
		{"end anchor matches", "User-agent: *\nDisallow: /*.gif$", bot, "/img/a.gif", false, "Disallow: /*.gif$"},
		{"end anchor rejects longer", "User-agent: *\nDisallow: /*.gif$", bot, "/img/a.gif?size=2", true, ""},
		{"query is part of the path", "User-agent: *\nDisallow: /search?q=", bot, "/search?q=go", false, "Disallow: /search?q="},
		{"named group beats star", "User-agent: *\nDisallow: /\n\nUser-agent: BaeumBot\nAllow: /", bot, "/a", true, "Allow: /"},
		{"other agents use star", "User-agent: *\nDisallow: /\n\nUser-agent: BaeumBot\nAllow: /", "OtherBot/2", "/a", false, "Disallow: /"},
		{"agent match ignores case", "User-agent: BAEUMBOT\nDisallow: /x", bot, "/x", false, "Disallow: /x"},
		{"a blank line does not end a group", "User-agent: baeumbot\n\nUser-agent: *\nDisallow: /", bot, "/a", false, "Disallow: /"},
		{"named group applies even if no rule matches", "User-agent: baeumbot\nAllow: /nothing-here\nUser-agent: *\nDisallow: /", bot, "/a", true, ""},
		{"groups for one agent merge", "User-agent: baeumbot\nDisallow: /a\n\nUser-agent: baeumbot\nDisallow: /b", bot, "/b", false, "Disallow: /b"},
		{"consecutive agents share a group", "User-agent: a\nUser-agent: baeumbot\nDisallow: /x", bot, "/x", false, "Disallow: /x"},
		{"rules before any agent are ignored", "Disallow: /x\nUser-agent: *\nDisallow: /y", bot, "/x", true, ""},
		{"comments and other fields", "# hi\nSitemap: http://h/s.xml\nUser-agent: * # everyone\nCrawl-delay: 5\nDISALLOW: /z # no", bot, "/z", false, "Disallow: /z"},
		{"windows line ends", "User-agent: *\r\nDisallow: /w\r\n", bot, "/w", false, "Disallow: /w"},
		{"lesson site: faqinfo closed", DefaultRobots, bot, "/en/faqinfo.en.html", false, "Disallow: /*/faqinfo."},
		{"lesson site: chapters open", DefaultRobots, bot, "/ko/kernel.ko.html", true, ""},
		{"lesson site: ExampleBot shut out", DefaultRobots, "ExampleBot", "/ko/kernel.ko.html", false, "Disallow: /"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := ParseRobots(tt.robots).Test(tt.agent, tt.path)
			if v.Allowed != tt.allowed || v.Rule != tt.rule {
				t.Errorf("Test(%q, %q) = %+v, want allowed=%v rule=%q", tt.agent, tt.path, v, tt.allowed, tt.rule)
			}
		})
	}
}

func TestMatchPattern(t *testing.T) {
	tests := []struct {
		pattern, path string
		want          bool
	}{
		{"/", "/anything", true},
		{"/a", "/", false},
		{"/a*c", "/abbbc", true},
		{"/a*c", "/abbbd", false},
		{"/a*c$", "/abcx", false},
		{"/a*c$", "/abcc", true},
		{"*", "/", true},
		{"/**x", "/yyx", true},
		{"$", "/", false},
		{"/$", "/", true},
		{"/a*a*a*a*a*b", "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false}, // no exponential backtracking
	}
	for _, tt := range tests {
		if got := matchPattern(tt.pattern, tt.path); got != tt.want {
			t.Errorf("matchPattern(%q, %q) = %v, want %v", tt.pattern, tt.path, got, tt.want)
		}
	}
}
