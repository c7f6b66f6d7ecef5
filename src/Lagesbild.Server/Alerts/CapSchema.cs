using System.Xml;
using System.Xml.Schema;

namespace Lagesbild.Server.Alerts;

/// <summary>
/// The CAP 1.2 schema (OASIS <c>CAP-v1.2.xsd</c>), read at start from the configured directory and never kept in the
/// repository: the standard's own file is the one truth about what a well-formed alert is.
/// </summary>
public sealed class CapSchema
{
    public const string FileName = "CAP-v1.2.xsd";
    public const string Namespace = "urn:oasis:names:tc:emergency:cap:1.2";

    private CapSchema(XmlSchemaSet? set, string? path, string? problem) => (Set, Path, Problem) = (set, path, problem);

    /// <summary>The compiled schema; null when it could not be found (then <see cref="Problem"/> says why).</summary>
    public XmlSchemaSet? Set { get; }
    public string? Path { get; }
    public string? Problem { get; }

    /// <summary>Finds and compiles the schema; a relative directory is tried beside the working directory, the server's directory and their parents.</summary>
    public static CapSchema Load(string directory)
    {
        if (Find(directory) is not { } path)
            return new CapSchema(null, null, $"{FileName} finns inte i '{directory}' (en relativ sökväg söks från arbetskatalogen, serverns katalog och deras föräldrar).");
        var set = new XmlSchemaSet { XmlResolver = null };
        using (var reader = XmlReader.Create(path, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null }))
            set.Add(Namespace, reader);
        set.Compile();
        return new CapSchema(set, path, null);
    }

    private static string? Find(string directory)
    {
        if (System.IO.Path.IsPathRooted(directory))
        {
            var rooted = System.IO.Path.Combine(directory, FileName);
            return File.Exists(rooted) ? rooted : null;
        }
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var at = new DirectoryInfo(start); at is not null; at = at.Parent)
            {
                var candidate = System.IO.Path.GetFullPath(System.IO.Path.Combine(at.FullName, directory, FileName));
                if (File.Exists(candidate))
                    return candidate;
            }
        }
        return null;
    }
}
