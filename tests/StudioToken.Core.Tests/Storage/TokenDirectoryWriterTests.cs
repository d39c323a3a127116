using System.Runtime.Versioning;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using StudioToken.Core.Storage;
using StudioToken.Core.Tests.Fakes;
using StudioToken.Core.Tokens;

namespace StudioToken.Core.Tests.Storage;

[TestFixture]
[Platform("Linux")]
[SupportedOSPlatform("linux")]
public sealed class TokenDirectoryWriterTests
{
    private const UnixFileMode Mode0700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode Mode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private static readonly Uri TokenUrl = new("https://studio.example.com/api/v2/oauth/token");

    private TemporaryDirectory _temp = null!;
    private string _directory = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TemporaryDirectory();
        _directory = _temp.Combine("tokens");
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void A_new_or_empty_directory_can_be_claimed_but_one_with_files_cannot()
    {
        Assert.That(TokenDirectoryWriter.ClaimProblem(_directory), Is.Null, "does not exist yet");
        Directory.CreateDirectory(_directory);
        Assert.That(TokenDirectoryWriter.ClaimProblem(_directory), Is.Null, "empty");
        File.WriteAllText(Path.Combine(_directory, "build-output.txt"), "someone else's");
        Assert.That(TokenDirectoryWriter.ClaimProblem(_directory), Does.Contain("already exists and is not empty"));
    }

    private static AccessToken Token(string value = "tok-1") => TestTokens.Issued(value, TestTokens.Start, TimeSpan.FromHours(1));

    private static TokenMetadata Metadata(AccessToken token, long generation = 1, string? lastError = null) =>
        new(token.TokenType, token.ExpiresOn, TestTokens.Start.AddSeconds(1), generation, token.Scope, TokenUrl, lastError);

    private TokenDirectoryWriter PreparedWriter(FileOwner? owner = null)
    {
        var writer = new TokenDirectoryWriter(_directory, owner);
        writer.Prepare();
        return writer;
    }

    private static void WriteToken(TokenDirectoryWriter writer, string value = "tok-1")
    {
        var token = Token(value);
        writer.Write(token, Metadata(token));
    }

    [Test]
    public void Creates_the_directory_with_mode_0700()
    {
        var writer = PreparedWriter();

        Assert.Multiple(() =>
        {
            Assert.That(writer.Exists, Is.True);
            Assert.That(File.GetUnixFileMode(_directory), Is.EqualTo(Mode0700));
        });
    }

    [Test]
    public void Tightens_an_existing_directory_to_mode_0700()
    {
        Directory.CreateDirectory(_directory);
        File.SetUnixFileMode(_directory, Mode0700 | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        PreparedWriter();

        Assert.That(File.GetUnixFileMode(_directory), Is.EqualTo(Mode0700));
    }

    [Test]
    public void Refuses_a_token_directory_that_is_a_symbolic_link()
    {
        var elsewhere = Directory.CreateDirectory(_temp.Combine("elsewhere")).FullName;
        Directory.CreateSymbolicLink(_directory, elsewhere);

        var ex = Assert.Throws<IOException>(() => new TokenDirectoryWriter(_directory).Prepare())!;

        Assert.That(ex.Message, Does.Contain("symbolic link"));
    }

    [Test]
    public void Refuses_a_dangling_symbolic_link_as_token_directory()
    {
        Directory.CreateSymbolicLink(_directory, _temp.Combine("missing"));

        Assert.Throws<IOException>(() => new TokenDirectoryWriter(_directory).Prepare());
        Assert.That(Directory.Exists(_temp.Combine("missing")), Is.False);
    }

    [Test]
    public void Refuses_a_token_directory_that_exists_as_a_file()
    {
        File.WriteAllText(_directory, "x");

        var ex = Assert.Throws<IOException>(() => new TokenDirectoryWriter(_directory).Prepare())!;

        Assert.That(ex.Message, Does.Contain("exists as a file"));
    }

    [Test]
    public void Writes_the_raw_token_without_a_trailing_newline_in_a_0600_file()
    {
        var writer = PreparedWriter();

        WriteToken(writer, "abc.DEF-123");

        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllBytes(writer.TokenFile), Is.EqualTo(Encoding.ASCII.GetBytes("abc.DEF-123")));
            Assert.That(File.GetUnixFileMode(writer.TokenFile), Is.EqualTo(Mode0600));
            Assert.That(File.GetUnixFileMode(writer.MetadataFile), Is.EqualTo(Mode0600));
            Assert.That(writer.TokenFile, Is.EqualTo(Path.Combine(_directory, "token")));
            Assert.That(writer.MetadataFile, Is.EqualTo(Path.Combine(_directory, "token.json")));
        });
    }

    [Test]
    public void Writes_token_json_with_the_contract_fields_and_never_the_token()
    {
        var writer = PreparedWriter();
        var token = Token("tok-secret-value");

        writer.Write(token, Metadata(token, generation: 3, lastError: "token endpoint answered 503"));

        var text = File.ReadAllText(writer.MetadataFile);
        var json = JsonConvert.DeserializeObject<JObject>(text, new JsonSerializerSettings { DateParseHandling = DateParseHandling.None })!;
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Not.Contain("tok-secret-value"));
            Assert.That(text, Does.EndWith("}\n"));
            Assert.That(json.Properties().Select(p => p.Name), Is.EquivalentTo(new List<string> { "token_type", "expires_at", "expires_at_unix", "refreshed_at", "generation", "scope", "token_url", "last_error" }));
            Assert.That((string?)json["token_type"], Is.EqualTo("Bearer"));
            Assert.That((string?)json["expires_at"], Is.EqualTo("2025-03-14T10:00:00Z"));
            Assert.That((long?)json["expires_at_unix"], Is.EqualTo(TestTokens.Start.AddHours(1).ToUnixTimeSeconds()));
            Assert.That((string?)json["refreshed_at"], Is.EqualTo("2025-03-14T09:00:01Z"));
            Assert.That((long?)json["generation"], Is.EqualTo(3));
            Assert.That((string?)json["scope"], Is.EqualTo("studio:script"));
            Assert.That((string?)json["token_url"], Is.EqualTo(TokenUrl.AbsoluteUri));
            Assert.That((string?)json["last_error"], Is.EqualTo("token endpoint answered 503"));
        });
    }

    [Test]
    public void Replaces_the_token_leaving_no_temporary_files()
    {
        var writer = PreparedWriter();

        WriteToken(writer, "tok-1");
        WriteToken(writer, "tok-2");
        writer.WriteMetadata(Metadata(Token("tok-2"), 2, "x"));

        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(writer.TokenFile), Is.EqualTo("tok-2"));
            Assert.That(Directory.GetFileSystemEntries(_directory).Select(Path.GetFileName), Is.EquivalentTo(new List<string> { "token", "token.json" }));
        });
    }

    [Test]
    public void Refuses_to_replace_a_token_file_that_is_a_symbolic_link()
    {
        var writer = PreparedWriter();
        var victim = _temp.Combine("victim");
        File.WriteAllText(victim, "precious");
        File.CreateSymbolicLink(writer.TokenFile, victim);

        var ex = Assert.Throws<IOException>(() => WriteToken(writer))!;

        Assert.Multiple(() =>
        {
            Assert.That(ex.Message, Does.Contain("symbolic link"));
            Assert.That(File.ReadAllText(victim), Is.EqualTo("precious"));
            Assert.That(new FileInfo(writer.TokenFile).LinkTarget, Is.EqualTo(victim));
            Assert.That(Directory.GetFileSystemEntries(_directory).Select(Path.GetFileName), Is.EquivalentTo(new List<string> { "token" }), "no temporary file is left behind");
        });
    }

    [Test]
    public void Refuses_to_replace_a_token_json_that_is_a_symbolic_link()
    {
        var writer = PreparedWriter();
        var victim = _temp.Combine("victim.json");
        File.WriteAllText(victim, "{}");
        File.CreateSymbolicLink(writer.MetadataFile, victim);

        Assert.Throws<IOException>(() => writer.WriteMetadata(Metadata(Token())));

        Assert.That(File.ReadAllText(victim), Is.EqualTo("{}"));
    }

    [Test]
    public void Gives_the_directory_and_files_to_the_requested_owner()
    {
        UnixOwner.RequireRoot();
        var writer = PreparedWriter(new FileOwner(4242, 4242));

        WriteToken(writer);

        Assert.Multiple(() =>
        {
            Assert.That(UnixOwner.Of(_directory), Is.EqualTo("4242:4242"));
            Assert.That(UnixOwner.Of(writer.TokenFile), Is.EqualTo("4242:4242"));
            Assert.That(UnixOwner.Of(writer.MetadataFile), Is.EqualTo("4242:4242"));
            Assert.That(File.GetUnixFileMode(writer.TokenFile), Is.EqualTo(Mode0600));
        });
    }

    [Test]
    public void Keeps_the_current_owner_when_none_is_requested()
    {
        var writer = PreparedWriter();

        WriteToken(writer);

        Assert.That(UnixOwner.Of(writer.TokenFile), Is.EqualTo(UnixOwner.Of(_temp.Path)));
    }

    [Test]
    public void Deletes_the_directory_and_its_files()
    {
        var writer = PreparedWriter();
        WriteToken(writer);

        writer.Delete();

        Assert.Multiple(() =>
        {
            Assert.That(Directory.Exists(_directory), Is.False);
            Assert.That(writer.Exists, Is.False);
            Assert.DoesNotThrow(writer.Delete, "deleting twice is fine");
        });
    }

    [Test]
    public void Does_not_delete_through_a_symbolic_link()
    {
        var elsewhere = Directory.CreateDirectory(_temp.Combine("elsewhere")).FullName;
        File.WriteAllText(Path.Combine(elsewhere, "keep"), "x");
        Directory.CreateSymbolicLink(_directory, elsewhere);

        new TokenDirectoryWriter(_directory).Delete();

        Assert.That(File.Exists(Path.Combine(elsewhere, "keep")), Is.True);
    }

    [TestCase("")]
    [TestCase("  ")]
    public void Refuses_an_empty_directory_name(string directory)
    {
        Assert.Throws<ArgumentException>(() => _ = new TokenDirectoryWriter(directory));
    }
}
