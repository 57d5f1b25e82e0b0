using Microsoft.Data.Sqlite;
using TypedPyro.Naming;

namespace TypedPyro.Tests.Naming;

/// <summary>The persistent SQLite store: Python's layout, restarts, locks and damaged files.</summary>
public sealed class SqliteStorageTests
{
    [Fact]
    public void Registrations_and_metadata_survive_a_restart()
    {
        using var file = NamingTestSupport.TempDatabase();
        using (var ns = new NameServer(new SqliteNameServerStorage(file.Path)))
        {
            ns.Register("a", "PYRO:a@h:1", metadata: ["x", "y"]);
            ns.Register("b", "PYRO:b@h:1");
        }
        using (var ns = new NameServer(NameServerStorage.Open("sql:" + file.Path)))
        {
            Assert.Equal(2, ns.Count());
            Assert.Equal(["x", "y"], ns.LookupRegistration("a").Metadata.Order(StringComparer.Ordinal));
            Assert.Equal("PYRO:b@h:1", ns.Lookup("b").ToString());
        }
    }

    [Fact]
    public void The_tables_have_pythons_layout()
    {
        using var file = NamingTestSupport.TempDatabase();
        using (var storage = new SqliteNameServerStorage(file.Path)) storage.Set(new NameRegistration("n", "PYRO:n@h:1", ["t"]));
        using var db = new SqliteConnection("Data Source=" + file.Path);
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT n.name, n.uri, m.metadata FROM pyro_names n JOIN pyro_metadata m ON m.object = n.id";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(("n", "PYRO:n@h:1", "t"), (reader.GetString(0), reader.GetString(1), reader.GetString(2)));
    }

    [Fact]
    public void An_old_store_without_metadata_is_migrated()
    {
        using var file = NamingTestSupport.TempDatabase();
        using (var db = new SqliteConnection("Data Source=" + file.Path + ";Pooling=False"))
        {
            db.Open();
            using var command = db.CreateCommand();
            command.CommandText = "CREATE TABLE pyro_names(id integer PRIMARY KEY, name nvarchar NOT NULL UNIQUE, uri nvarchar NOT NULL); INSERT INTO pyro_names(name, uri) VALUES ('old', 'PYRO:old@h:1')";
            command.ExecuteNonQuery();
        }
        using var ns = new NameServer(new SqliteNameServerStorage(file.Path));
        Assert.Equal("PYRO:old@h:1", ns.Lookup("old").ToString());
        ns.SetMetadata("old", ["now"]);
        Assert.Equal(["now"], ns.LookupRegistration("old").Metadata);
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_refused_clearly()
    {
        using var file = NamingTestSupport.TempDatabase();
        File.WriteAllText(file.Path, new string('x', 4096));
        var e = Assert.Throws<NamingException>(() => new SqliteNameServerStorage(file.Path));
        Assert.Equal($"cannot use name server storage file '{file.Path}': file is not a database", e.Message);
        Assert.Equal(new string('x', 4096), File.ReadAllText(file.Path));
    }

    [Fact]
    public void Memory_is_refused_and_unknown_kinds_are_invalid()
    {
        Assert.Throws<ArgumentException>(() => NameServerStorage.Open("sql::memory:"));
        Assert.Equal("invalid storage type 'disk:x'", Assert.Throws<ArgumentException>(() => NameServerStorage.Open("disk:x")).Message.Split(" (")[0]);
        Assert.Throws<NotSupportedException>(() => NameServerStorage.Open("dbm:x"));
        Assert.IsType<MemoryNameServerStorage>(NameServerStorage.Open("memory"));
    }

    [Fact]
    public void A_locked_database_fails_the_update_with_a_naming_error_and_loses_nothing()
    {
        using var file = NamingTestSupport.TempDatabase();
        using var ns = new NameServer(new SqliteNameServerStorage(file.Path, TimeSpan.FromSeconds(1)));
        ns.Register("kept", "PYRO:kept@h:1", metadata: ["m"]);

        using (var locker = new SqliteConnection("Data Source=" + file.Path + ";Pooling=False"))
        {
            locker.Open();
            using (var begin = locker.CreateCommand())
            {
                begin.CommandText = "BEGIN EXCLUSIVE";
                begin.ExecuteNonQuery();
            }
            var e = Assert.Throws<NamingException>(() => ns.Register("new", "PYRO:new@h:1"));
            Assert.Equal("sqlite error in setitem: database is locked", e.Message);
            Assert.Throws<NamingException>(() => ns.Lookup("kept"));
            using var rollback = locker.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            rollback.ExecuteNonQuery();
        }

        Assert.Equal("PYRO:kept@h:1", ns.Lookup("kept").ToString());
        Assert.Equal(["m"], ns.LookupRegistration("kept").Metadata);
        Assert.Equal("unknown name: new", Assert.Throws<NamingException>(() => ns.Lookup("new")).Message);
        ns.Register("new", "PYRO:new@h:1");
        Assert.Equal(2, ns.Count());
    }
}
