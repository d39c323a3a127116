using Microsoft.EntityFrameworkCore;

namespace StudioToken.TestServer;

internal sealed class TestServerDbContext(DbContextOptions<TestServerDbContext> options) : DbContext(options);
