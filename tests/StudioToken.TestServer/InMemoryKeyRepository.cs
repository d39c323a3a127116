using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace StudioToken.TestServer;

// Authentication registers data protection, whose start-up creates a key ring; kept in memory it never reaches
// ~/.aspnet, so test runs leave nothing behind and never share keys.
internal sealed class InMemoryKeyRepository : IXmlRepository
{
    private readonly List<XElement> _elements = [];
    private readonly Lock _lock = new();

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        lock (_lock)
        {
            return [.. _elements.Select(element => new XElement(element))];
        }
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        lock (_lock)
        {
            _elements.Add(new XElement(element));
        }
    }
}
