package corpus

import (
	"fmt"
	"slices"
	"strings"
)

// Robots is a parsed robots.txt file (RFC 9309, the Robots Exclusion
// Protocol). It is written by hand because reading one is part of the lesson.
//
// Supported: groups of one or more User-agent lines followed by Allow and
// Disallow rules, '#' comments, the '*' wildcard and the '$' end anchor, the
// most specific (longest) matching rule winning, and Allow winning a tie.
// Ignored on purpose: Sitemap, Crawl-delay (not part of RFC 9309; this
// crawler has its own Delay) and percent-encoding equivalences.
type Robots struct {
	groups []robotsGroup
}

type robotsGroup struct {
	agents []string // lower-case product tokens, "*" for everyone
	rules  []robotsRule
}

type robotsRule struct {
	allow   bool
	pattern string
}

func (r robotsRule) String() string {
	if r.allow {
		return "Allow: " + r.pattern
	}
	return "Disallow: " + r.pattern
}

// ParseRobots reads the text of a robots.txt file. It never fails: lines it
// does not understand are skipped, as RFC 9309 asks of crawlers.
//
//	User-agent: *
//	Disallow: /private/
//	Allow: /private/open.html
func ParseRobots(text string) *Robots {
	r := &Robots{}
	var cur *robotsGroup
	lastWasAgent := false
	for _, line := range strings.Split(text, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		key = strings.ToLower(strings.TrimSpace(key))
		value = strings.TrimSpace(value)
		switch key {
		case "user-agent":
			// A User-agent line after rules starts a new group; consecutive
			// User-agent lines share one group.
			if cur == nil || !lastWasAgent {
				r.groups = append(r.groups, robotsGroup{})
				cur = &r.groups[len(r.groups)-1]
			}
			cur.agents = append(cur.agents, productToken(value))
			lastWasAgent = true
		case "allow", "disallow":
			lastWasAgent = false
			// Rules before any User-agent line belong to no group, and an
			// empty "Disallow:" means "nothing is disallowed".
			if cur == nil || value == "" {
				continue
			}
			cur.rules = append(cur.rules, robotsRule{allow: key == "allow", pattern: value})
		default:
			// Sitemap, Crawl-delay, typos: not rules, and they do not end
			// a run of User-agent lines either.
		}
	}
	return r
}

// productToken reduces a user-agent string such as "BaeumBot/0.1 (+url)" to
// its lower-case name, "baeumbot", the part robots.txt groups are matched on.
func productToken(agent string) string {
	agent = strings.TrimSpace(agent)
	if i := strings.IndexAny(agent, "/ \t"); i >= 0 {
		agent = agent[:i]
	}
	return strings.ToLower(agent)
}

// Verdict is the answer to "may this agent fetch this path?" together with
// the rule that decided it ("" when no rule matched).
type Verdict struct {
	Allowed bool
	Rule    string
}

func (v Verdict) String() string {
	switch {
	case v.Rule == "" && v.Allowed:
		return "allowed (no rule matches)"
	case v.Allowed:
		return "allowed by " + v.Rule
	default:
		return "disallowed by " + v.Rule
	}
}

// Test decides whether agent may fetch path (the URL's path and query, e.g.
// "/en/index.en.html"). The groups naming the agent apply if there are any,
// otherwise the "*" groups; among their rules the longest matching pattern
// wins, and Allow wins a tie. /robots.txt itself is always allowed.
func (r *Robots) Test(agent, path string) Verdict {
	if path == "" || path[0] != '/' {
		path = "/" + path
	}
	if path == "/robots.txt" {
		return Verdict{Allowed: true, Rule: "(robots.txt is always allowed)"}
	}
	rules := r.rulesFor(productToken(agent))
	best, found := robotsRule{}, false
	for _, rule := range rules {
		if !matchPattern(rule.pattern, path) {
			continue
		}
		if !found || len(rule.pattern) > len(best.pattern) ||
			(len(rule.pattern) == len(best.pattern) && rule.allow && !best.allow) {
			best, found = rule, true
		}
	}
	if !found {
		return Verdict{Allowed: true}
	}
	return Verdict{Allowed: best.allow, Rule: best.String()}
}

// Allowed is Test(agent, path).Allowed.
func (r *Robots) Allowed(agent, path string) bool { return r.Test(agent, path).Allowed }

// rulesFor merges the rules of every group naming token, or of every "*"
// group when none names it.
func (r *Robots) rulesFor(token string) []robotsRule {
	var named, star []robotsRule
	hasNamed := false // a named group with no rules still beats "*": it allows all
	for _, g := range r.groups {
		if slices.Contains(g.agents, token) {
			named = append(named, g.rules...)
			hasNamed = true
		}
		if slices.Contains(g.agents, "*") {
			star = append(star, g.rules...)
		}
	}
	if hasNamed {
		return named
	}
	return star
}

// matchPattern reports whether a robots.txt path pattern matches the start of
// path: '*' matches any run of characters, a final '$' anchors the end.
// The two-pointer glob match below backtracks only to the last '*', so a
// hostile pattern costs O(len(pattern)*len(path)), never exponential time.
func matchPattern(pattern, path string) bool {
	anchored := strings.HasSuffix(pattern, "$")
	if anchored {
		pattern = pattern[:len(pattern)-1]
	} else {
		pattern += "*" // a rule is a prefix match
	}
	p, s := 0, 0
	star, mark := -1, 0
	for s < len(path) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, s
			p++
		case p < len(pattern) && pattern[p] == path[s]:
			p++
			s++
		case star >= 0:
			mark++
			p, s = star+1, mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// String lists the groups and rules as parsed, for the notebook.
func (r *Robots) String() string {
	var b strings.Builder
	for i, g := range r.groups {
		fmt.Fprintf(&b, "group %d: user-agent %s\n", i+1, strings.Join(g.agents, ", "))
		for _, rule := range g.rules {
			fmt.Fprintf(&b, "  %s\n", rule)
		}
	}
	return b.String()
}
