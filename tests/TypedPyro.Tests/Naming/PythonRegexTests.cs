using TypedPyro.Naming;

namespace TypedPyro.Tests.Naming;

/// <summary>Python <c>re.match</c> semantics for name server regex filters.</summary>
public sealed class PythonRegexTests
{
    [Theory]
    [InlineData("abc", "abcdef", true)]
    [InlineData("bcd", "abcdef", false)]
    [InlineData("abc$", "abc\n", true)]
    [InlineData(@"abc\Z", "abc\n", false)]
    [InlineData(@"abc\Z", "abc", true)]
    [InlineData("(?P<g>a)(?P=g)", "aa", true)]
    [InlineData("(?P<g>a)(?P=g)", "ab", false)]
    [InlineData("a{,2}b", "aab", true)]
    [InlineData("a{,2}b", "aaab", false)]
    [InlineData("[[]x", "[x", true)]
    [InlineData("[]a]", "]", true)]
    [InlineData(@"\U0001F600", "\U0001F600!", true)]
    [InlineData(".*", "", true)]
    public void Matches_like_re_match(string pattern, string text, bool expected)
        => Assert.Equal(expected, PythonRegex.MatchesAtStart(PythonRegex.Get(pattern), text));

    [Theory]
    [InlineData("(", "invalid regex: missing ), unterminated subpattern at position 0")]
    [InlineData("a(b(c)", "invalid regex: missing ), unterminated subpattern at position 1")]
    [InlineData("a)", "invalid regex: unbalanced parenthesis at position 1")]
    [InlineData("*a", "invalid regex: nothing to repeat at position 0")]
    [InlineData("a**", "invalid regex: multiple repeat at position 2")]
    [InlineData("[a", "invalid regex: unterminated character set at position 0")]
    [InlineData(@"\p{L}", @"invalid regex: bad escape \p at position 0")]
    [InlineData(@"ab\z", @"invalid regex: bad escape \z at position 2")]
    [InlineData(@"a\", "invalid regex: bad escape (end of pattern) at position 1")]
    public void Invalid_patterns_give_python_messages(string pattern, string message)
        => Assert.Equal(message, Assert.Throws<NamingException>(() => PythonRegex.Get(pattern)).Message);

    [Fact]
    public void Compiled_patterns_are_cached()
        => Assert.Same(PythonRegex.Get("cached.*"), PythonRegex.Get("cached.*"));

    [Fact]
    public void A_runaway_pattern_times_out_with_a_naming_error()
    {
        var regex = PythonRegex.Get("(a+)+$");
        var e = Assert.Throws<NamingException>(() => PythonRegex.MatchesAtStart(regex, new string('a', 40) + "!"));
        Assert.StartsWith("regex evaluation timed out", e.Message);
    }
}
