using System.Net;
using StudioToken.Core.OAuth;
using StudioToken.Core.Tests.Fakes;

namespace StudioToken.Core.Tests.OAuth;

[TestFixture]
public sealed class TokenResponseParserTests
{
    private static readonly DateTimeOffset SentAt = TestTokens.Start;
    private static readonly TimeSpan AssumedLifetime = TimeSpan.FromSeconds(3600);

    private static TokenResponse Ok(string body, string? mediaType = "application/json") =>
        TokenResponseParser.Parse(HttpStatusCode.OK, mediaType, body, SentAt, AssumedLifetime, retryAfter: null);

    private static TokenRequestException Fails(HttpStatusCode status, string body, string? mediaType = "application/json", TimeSpan? retryAfter = null) =>
        Assert.Throws<TokenRequestException>(() => TokenResponseParser.Parse(status, mediaType, body, SentAt, AssumedLifetime, retryAfter))!;

    private static OAuthErrorException FailsWithOAuthError(HttpStatusCode status, string body, TimeSpan? retryAfter = null) =>
        Assert.Throws<OAuthErrorException>(() => TokenResponseParser.Parse(status, "application/json", body, SentAt, AssumedLifetime, retryAfter))!;

    [Test]
    public void Reads_token_type_scope_and_expiry_from_a_200_answer()
    {
        var response = Ok("""{"access_token":"abc.DEF-123_~+/==","token_type":"Bearer","expires_in":3600,"scope":"studio:script"}""");

        Assert.Multiple(() =>
        {
            Assert.That(response.Token.Value.Reveal(), Is.EqualTo("abc.DEF-123_~+/=="));
            Assert.That(response.Token.TokenType, Is.EqualTo("Bearer"));
            Assert.That(response.Token.Scope, Is.EqualTo("studio:script"));
            Assert.That(response.Token.IssuedAt, Is.EqualTo(SentAt));
            Assert.That(response.Token.ExpiresOn, Is.EqualTo(SentAt.AddSeconds(3600)));
            Assert.That(response.Warnings, Is.Empty);
        });
    }

    [Test]
    public void Measures_expiry_from_when_the_request_was_sent()
    {
        var sentAt = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

        var response = TokenResponseParser.Parse(HttpStatusCode.OK, "application/json", """{"access_token":"t","token_type":"Bearer","expires_in":60}""", sentAt, AssumedLifetime, null);

        Assert.That(response.Token.ExpiresOn, Is.EqualTo(sentAt.AddSeconds(60)));
    }

    [Test]
    public void Treats_an_empty_scope_as_no_scope()
    {
        Assert.That(Ok("""{"access_token":"t","token_type":"Bearer","expires_in":60,"scope":""}""").Token.Scope, Is.Null);
    }

    [Test]
    public void Assumes_Bearer_with_a_warning_when_token_type_is_missing()
    {
        var response = Ok("""{"access_token":"t","expires_in":60}""");

        Assert.Multiple(() =>
        {
            Assert.That(response.Token.TokenType, Is.EqualTo("Bearer"));
            Assert.That(response.Warnings, Has.One.Contains("no token_type"));
        });
    }

    [TestCase("bearer")]
    [TestCase("BEARER")]
    [TestCase("Bearer")]
    public void Accepts_bearer_in_any_case_and_normalises_it(string tokenType)
    {
        var response = Ok($$"""{"access_token":"t","token_type":"{{tokenType}}","expires_in":60}""");

        Assert.Multiple(() =>
        {
            Assert.That(response.Token.TokenType, Is.EqualTo("Bearer"));
            Assert.That(response.Warnings, Is.Empty);
        });
    }

    [TestCase("\"mac\"")]
    [TestCase("\"DPoP\"")]
    [TestCase("42")]
    [TestCase("\"\"")]
    public void Refuses_token_types_other_than_Bearer(string tokenType)
    {
        var ex = Fails(HttpStatusCode.OK, $$"""{"access_token":"t","token_type":{{tokenType}},"expires_in":60}""");

        Assert.Multiple(() =>
        {
            Assert.That(ex.Kind, Is.EqualTo(TokenFailureKind.BadResponse));
            Assert.That(ex.Message, Does.Contain("only Bearer tokens are supported"));
        });
    }

    [TestCase("3600", 3600)]
    [TestCase("\"3600\"", 3600)]
    [TestCase("1", 1)]
    public void Reads_expires_in_as_a_number_or_a_numeric_string(string expiresIn, int seconds)
    {
        var response = Ok($$"""{"access_token":"t","token_type":"Bearer","expires_in":{{expiresIn}}}""");

        Assert.That(response.Token.ExpiresOn, Is.EqualTo(SentAt.AddSeconds(seconds)));
    }

    [TestCase("0")]
    [TestCase("-60")]
    [TestCase("\"abc\"")]
    [TestCase("3600.5")]
    [TestCase("\"3600.5\"")]
    [TestCase("\" 3600\"")]
    [TestCase("\"-5\"")]
    [TestCase("true")]
    [TestCase("{}")]
    [TestCase("99999999")]
    public void Refuses_an_expires_in_that_is_not_a_positive_whole_number_of_seconds(string expiresIn)
    {
        var ex = Fails(HttpStatusCode.OK, $$"""{"access_token":"t","token_type":"Bearer","expires_in":{{expiresIn}}}""");

        Assert.Multiple(() =>
        {
            Assert.That(ex.Kind, Is.EqualTo(TokenFailureKind.BadResponse));
            Assert.That(ex.Message, Does.Contain("expires_in"));
        });
    }

    [Test]
    public void Refuses_an_expires_in_too_large_for_a_64_bit_integer_as_a_bad_response()
    {
        var ex = Fails(HttpStatusCode.OK, """{"access_token":"t","token_type":"Bearer","expires_in":99999999999999999999}""");

        Assert.That(ex.Kind, Is.EqualTo(TokenFailureKind.BadResponse));
    }

    [Test]
    public void Uses_the_JWT_exp_when_there_is_no_expires_in()
    {
        var exp = SentAt.AddMinutes(20);

        var response = Ok($$"""{"access_token":"{{TestTokens.JwtExpiringAt(exp)}}","token_type":"Bearer"}""");

        Assert.Multiple(() =>
        {
            Assert.That(response.Token.ExpiresOn, Is.EqualTo(exp));
            Assert.That(response.Warnings, Is.Empty);
        });
    }

    [Test]
    public void Prefers_expires_in_over_the_JWT_exp()
    {
        var response = Ok($$"""{"access_token":"{{TestTokens.JwtExpiringAt(SentAt.AddHours(5))}}","token_type":"Bearer","expires_in":600}""");

        Assert.That(response.Token.ExpiresOn, Is.EqualTo(SentAt.AddSeconds(600)));
    }

    [Test]
    public void Assumes_the_configured_lifetime_with_a_warning_when_neither_expires_in_nor_a_JWT_exp_is_there()
    {
        var response = TokenResponseParser.Parse(HttpStatusCode.OK, "application/json", """{"access_token":"opaque","token_type":"Bearer","expires_in":null}""", SentAt, TimeSpan.FromMinutes(15), null);

        Assert.Multiple(() =>
        {
            Assert.That(response.Token.ExpiresOn, Is.EqualTo(SentAt.AddMinutes(15)));
            Assert.That(response.Warnings, Has.One.Contains("assuming it lives 900 s"));
        });
    }

    [Test]
    public void Assumes_the_configured_lifetime_when_the_JWT_exp_is_too_large_for_a_64_bit_integer()
    {
        var response = Ok($$"""{"access_token":"{{TestTokens.Jwt("""{"exp":99999999999999999999}""")}}","token_type":"Bearer"}""");

        Assert.That(response.Token.ExpiresOn, Is.EqualTo(SentAt + AssumedLifetime));
    }

    [Test]
    public void Refuses_a_JWT_that_had_already_expired_when_the_request_was_sent()
    {
        var ex = Fails(HttpStatusCode.OK, $$"""{"access_token":"{{TestTokens.JwtExpiringAt(SentAt.AddSeconds(-1))}}","token_type":"Bearer"}""");

        Assert.Multiple(() =>
        {
            Assert.That(ex.Kind, Is.EqualTo(TokenFailureKind.BadResponse));
            Assert.That(ex.Message, Does.Contain("already expired").And.Contain("clock"));
        });
    }

    [TestCase("""{"token_type":"Bearer","expires_in":60}""")]
    [TestCase("""{"access_token":"","token_type":"Bearer","expires_in":60}""")]
    [TestCase("""{"access_token":null,"token_type":"Bearer","expires_in":60}""")]
    [TestCase("""{"access_token":12345,"token_type":"Bearer","expires_in":60}""")]
    [TestCase("""{"access_token":{"value":"t"},"token_type":"Bearer","expires_in":60}""")]
    public void Refuses_a_200_without_a_string_access_token(string body)
    {
        var ex = Fails(HttpStatusCode.OK, body);

        Assert.Multiple(() =>
        {
            Assert.That(ex.Kind, Is.EqualTo(TokenFailureKind.BadResponse));
            Assert.That(ex.Message, Does.Contain("without an access_token"));
        });
    }

    [TestCase("abc\\r\\nxyz")]
    [TestCase("abc\\nxyz")]
    [TestCase("abc::xyz")]
    [TestCase("abc%0Axyz")]
    [TestCase("abc xyz")]
    [TestCase("abc=xyz")]
    [TestCase("\\u00e9t\\u00e9")]
    public void Refuses_an_access_token_outside_the_b64token_syntax(string jsonEscapedToken)
    {
        var ex = Fails(HttpStatusCode.OK, $$"""{"access_token":"{{jsonEscapedToken}}","token_type":"Bearer","expires_in":60}""");

        Assert.Multiple(() =>
        {
            Assert.That(ex.Kind, Is.EqualTo(TokenFailureKind.BadResponse));
            Assert.That(ex.Message, Does.Contain("b64token"));
            Assert.That(ex.Message, Does.Not.Contain("abc"), "the rejected value must not be echoed");
        });
    }

    [TestCase("")]
    [TestCase("   \r\n\t ")]
    public void Refuses_an_empty_body(string body)
    {
        var ex = Fails(HttpStatusCode.OK, body);

        Assert.Multiple(() =>
        {
            Assert.That(ex.Kind, Is.EqualTo(TokenFailureKind.BadResponse));
            Assert.That(ex.Message, Is.EqualTo("token endpoint answered 200 with an empty body; expected JSON"));
        });
    }

    [TestCase("<html><body>Sign in</body></html>", "text/plain")]
    [TestCase("  <!DOCTYPE html>", null)]
    [TestCase("""{"access_token":"t","token_type":"Bearer","expires_in":60}""", "text/html")]
    public void Refuses_HTML_by_its_first_character_or_its_content_type(string body, string? mediaType)
    {
        var ex = Fails(HttpStatusCode.OK, body, mediaType);

        Assert.Multiple(() =>
        {
            Assert.That(ex.Kind, Is.EqualTo(TokenFailureKind.BadResponse));
            Assert.That(ex.Message, Does.Contain("with HTML, not JSON").And.Contain("login page"));
        });
    }

    [TestCase("access_token=t&token_type=Bearer")]
    [TestCase("""["access_token","t"]""")]
    [TestCase("\"just a string\"")]
    [TestCase("""{"access_token":"t","token_type":"Bearer","expires_in":60} trailing""")]
    [TestCase("""{"access_token":"t","token_type":"Bearer","expires_in":60}{}""")]
    [TestCase("""{"access_token":"t","token_type":"Bearer",""")]
    [TestCase("null")]
    public void Refuses_a_body_that_is_not_exactly_one_JSON_object(string body)
    {
        var ex = Fails(HttpStatusCode.OK, body);

        Assert.Multiple(() =>
        {
            Assert.That(ex.Kind, Is.EqualTo(TokenFailureKind.BadResponse));
            Assert.That(ex.Message, Is.EqualTo("token endpoint answered 200 with a body that is not a JSON object; expected an OAuth token response"));
        });
    }

    [Test]
    public void Accepts_trailing_whitespace_after_the_JSON_object()
    {
        Assert.That(Ok("{\"access_token\":\"t\",\"token_type\":\"Bearer\",\"expires_in\":60}\r\n  ").Token.Value.Reveal(), Is.EqualTo("t"));
    }

    [TestCase("invalid_client", "check the client id")]
    [TestCase("invalid_scope", "check the scope")]
    [TestCase("invalid_grant", "")]
    [TestCase("unauthorized_client", "client_credentials grant")]
    [TestCase("unsupported_grant_type", "check the token URL")]
    public void Reports_an_RFC_6749_error_as_rejected_with_its_code_and_description(string error, string hint)
    {
        var ex = FailsWithOAuthError(HttpStatusCode.BadRequest, $$"""{"error":"{{error}}","error_description":"Nope, not you."}""");

        Assert.Multiple(() =>
        {
            Assert.That(ex.Kind, Is.EqualTo(TokenFailureKind.Rejected));
            Assert.That(ex.IsTransient, Is.False);
            Assert.That(ex.Error, Is.EqualTo(error));
            Assert.That(ex.ErrorDescription, Is.EqualTo("Nope, not you."));
            Assert.That(ex.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(ex.Message, Does.StartWith($"token endpoint answered 400 {error}: Nope, not you.").And.Contain(hint));
        });
    }

    [Test]
    public void Reports_an_error_without_description_with_only_its_code()
    {
        var ex = FailsWithOAuthError(HttpStatusCode.Unauthorized, """{"error":"invalid_client"}""");

        Assert.Multiple(() =>
        {
            Assert.That(ex.Kind, Is.EqualTo(TokenFailureKind.Rejected));
            Assert.That(ex.ErrorDescription, Is.Null);
            Assert.That(ex.Message, Does.StartWith("token endpoint answered 401 invalid_client (check"));
        });
    }

    [TestCase(HttpStatusCode.Unauthorized, "")]
    [TestCase(HttpStatusCode.Forbidden, "")]
    [TestCase(HttpStatusCode.BadRequest, "Bad Request")]
    [TestCase(HttpStatusCode.Unauthorized, """{"message":"no"}""")]
    public void Reports_400_401_and_403_without_an_OAuth_error_as_rejected(HttpStatusCode status, string body)
    {
        var ex = Fails(status, body, mediaType: null);

        Assert.Multiple(() =>
        {
            Assert.That(ex, Is.Not.InstanceOf<OAuthErrorException>());
            Assert.That(ex.Kind, Is.EqualTo(TokenFailureKind.Rejected));
            Assert.That(ex.StatusCode, Is.EqualTo(status));
            Assert.That(ex.Message, Does.Contain($"answered {(int)status} {status} without an OAuth error"));
        });
    }

    [TestCase(HttpStatusCode.NotFound)]
    [TestCase(HttpStatusCode.MethodNotAllowed)]
    [TestCase(HttpStatusCode.UnsupportedMediaType)]
    public void Reports_other_4xx_answers_as_bad_responses_pointing_at_the_token_url(HttpStatusCode status)
    {
        var ex = Fails(status, "<html>not here</html>", "text/html");

        Assert.Multiple(() =>
        {
            Assert.That(ex.Kind, Is.EqualTo(TokenFailureKind.BadResponse));
            Assert.That(ex.Message, Does.Contain($"answered {(int)status}").And.Contain("check the token URL"));
        });
    }

    [TestCase(HttpStatusCode.Found)]
    [TestCase(HttpStatusCode.MovedPermanently)]
    [TestCase(HttpStatusCode.TemporaryRedirect)]
    [TestCase(HttpStatusCode.PermanentRedirect)]
    public void Reports_a_redirect_as_a_bad_response_that_says_so(HttpStatusCode status)
    {
        var ex = Fails(status, string.Empty);

        Assert.Multiple(() =>
        {
            Assert.That(ex.Kind, Is.EqualTo(TokenFailureKind.BadResponse));
            Assert.That(ex.Message, Does.Contain("redirect").And.Contain("final URL"));
        });
    }

    [TestCase(HttpStatusCode.RequestTimeout)]
    [TestCase(HttpStatusCode.TooManyRequests)]
    [TestCase(HttpStatusCode.InternalServerError)]
    [TestCase(HttpStatusCode.BadGateway)]
    [TestCase(HttpStatusCode.ServiceUnavailable)]
    [TestCase(HttpStatusCode.GatewayTimeout)]
    public void Reports_408_429_and_5xx_as_transient_and_carries_Retry_After(HttpStatusCode status)
    {
        var ex = Fails(status, "<html>busy</html>", "text/html", retryAfter: TimeSpan.FromSeconds(42));

        Assert.Multiple(() =>
        {
            Assert.That(ex.Kind, Is.EqualTo(TokenFailureKind.Transient));
            Assert.That(ex.IsTransient, Is.True);
            Assert.That(ex.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(42)));
            Assert.That(ex.StatusCode, Is.EqualTo(status));
            Assert.That(ex.Message, Is.EqualTo($"token endpoint answered {(int)status} {status}"));
        });
    }

    [Test]
    public void Reports_a_503_with_an_OAuth_error_as_a_transient_OAuth_error()
    {
        var ex = FailsWithOAuthError(HttpStatusCode.ServiceUnavailable, """{"error":"temporarily_unavailable","error_description":"maintenance"}""", TimeSpan.FromSeconds(30));

        Assert.Multiple(() =>
        {
            Assert.That(ex.Kind, Is.EqualTo(TokenFailureKind.Transient));
            Assert.That(ex.Error, Is.EqualTo("temporarily_unavailable"));
            Assert.That(ex.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(30)));
        });
    }

    [Test]
    public void Makes_a_multi_line_error_description_one_line()
    {
        var ex = FailsWithOAuthError(HttpStatusCode.BadRequest, """{"error":"invalid_client","error_description":"line one\r\nline two\n::error::injected"}""");

        Assert.Multiple(() =>
        {
            Assert.That(ex.ErrorDescription, Does.Not.Contain("\n").And.Not.Contain("\r"));
            Assert.That(ex.ErrorDescription, Does.StartWith("line one").And.EndWith("::error::injected"));
            Assert.That(ex.Message, Does.Not.Contain("\n").And.Not.Contain("\r"));
        });
    }

    [Test]
    public void Truncates_a_long_error_description()
    {
        var ex = FailsWithOAuthError(HttpStatusCode.BadRequest, $$"""{"error":"invalid_client","error_description":"{{new string('x', 5000)}}"}""");

        Assert.Multiple(() =>
        {
            Assert.That(ex.ErrorDescription, Has.Length.EqualTo(301));
            Assert.That(ex.ErrorDescription, Does.EndWith("…"));
            Assert.That(ex.Message, Has.Length.LessThan(500));
        });
    }

    [Test]
    public void Truncates_a_long_error_code_and_strips_its_control_characters()
    {
        var ex = FailsWithOAuthError(HttpStatusCode.BadRequest, $$"""{"error":"bad\n{{new string('e', 500)}}"}""");

        Assert.Multiple(() =>
        {
            Assert.That(ex.Error, Has.Length.EqualTo(81));
            Assert.That(ex.Error, Does.StartWith("bad e"));
        });
    }

    [Test]
    public void Falls_back_to_the_status_when_the_error_field_is_not_a_string()
    {
        var ex = Fails(HttpStatusCode.BadRequest, """{"error":{"code":1}}""");

        Assert.Multiple(() =>
        {
            Assert.That(ex, Is.Not.InstanceOf<OAuthErrorException>());
            Assert.That(ex.Kind, Is.EqualTo(TokenFailureKind.Rejected));
        });
    }

    [Test]
    public void Takes_a_JWT_exp_that_is_earlier_than_expires_in_says()
    {
        var token = TestTokens.JwtExpiringAt(SentAt.AddSeconds(3599));

        var response = Ok($$"""{"access_token":"{{token}}","token_type":"Bearer","expires_in":3600}""");

        Assert.That(response.Token.ExpiresOn, Is.EqualTo(SentAt.AddSeconds(3599)));
    }

    [Test]
    public void Keeps_expires_in_when_the_JWT_exp_is_later_or_already_past()
    {
        var later = TestTokens.JwtExpiringAt(SentAt.AddSeconds(7200));
        var past = TestTokens.JwtExpiringAt(SentAt.AddSeconds(-60));

        Assert.That(Ok($$"""{"access_token":"{{later}}","token_type":"Bearer","expires_in":3600}""").Token.ExpiresOn, Is.EqualTo(SentAt.AddSeconds(3600)));
        Assert.That(Ok($$"""{"access_token":"{{past}}","token_type":"Bearer","expires_in":3600}""").Token.ExpiresOn, Is.EqualTo(SentAt.AddSeconds(3600)));
    }
}
