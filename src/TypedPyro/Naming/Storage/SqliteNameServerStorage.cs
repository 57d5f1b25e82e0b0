using System.Diagnostics.CodeAnalysis;
using System.Text;
using Microsoft.Data.Sqlite;

namespace TypedPyro.Naming;

/// <summary>
/// Persistent storage in an SQLite database file (Python's <c>SqlStorage</c>, <c>pyro4-ns -s sql:file</c>), with
/// Python's table layout so one file can be used by either name server:
/// <c>pyro_names(id integer primary key, name nvarchar unique, uri nvarchar)</c> and
/// <c>pyro_metadata(object integer references pyro_names(id), metadata nvarchar)</c>.
/// </summary>
/// <remarks>
/// Every update is one transaction, so a registration is either stored completely or not at all. A database that
/// stays locked by another process for longer than <see cref="BusyTimeout"/>, or a damaged file, makes the operation
/// fail with a <see cref="NamingException"/> (<c>sqlite error in setitem: database is locked</c>, as Python says);
/// nothing already stored is lost and the name server keeps running. Unlike Python's SQL storage, a prefix listing
/// compares the prefix exactly (Python uses <c>LIKE</c>, which ignores ASCII case and treats <c>%</c> and <c>_</c> as
/// wildcards).
/// </remarks>
public sealed class SqliteNameServerStorage : INameServerStorage
{
    // SQLite limits the number of host parameters of one statement; larger tag sets are filtered in memory.
    private const int MaxSqlTags = 500;
    private const string SelectJoined = "SELECT n.name, n.uri, m.metadata FROM pyro_names n LEFT JOIN pyro_metadata m ON m.object = n.id";

    private readonly string _connectionString;

    /// <summary>Opens (creating if needed) the database file and its tables.</summary>
    /// <param name="path">The database file. <c>:memory:</c> is refused, as in Python: use <see cref="MemoryNameServerStorage"/>.</param>
    /// <param name="busyTimeout">How long an operation waits for a lock held by another connection; default 5 s (Python's sqlite3 default).</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or <c>:memory:</c>.</exception>
    /// <exception cref="NamingException">The file cannot be opened or is not a (valid) database.</exception>
    public SqliteNameServerStorage(string path, TimeSpan? busyTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0) throw new ArgumentException("the database file name is empty", nameof(path));
        if (path == ":memory:")
            throw new ArgumentException("We don't support the sqlite :memory: database type. Just use the default volatile in-memory store.", nameof(path));
        SQLitePCL.Batteries_V2.Init();
        Path = path;
        BusyTimeout = busyTimeout ?? TimeSpan.FromSeconds(5);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(BusyTimeout.TotalSeconds)),
        }.ToString();
        try
        {
            using var db = Open();
            using var transaction = db.BeginTransaction();
            var tables = new HashSet<string>(StringComparer.Ordinal);
            using (var query = Command(db, "SELECT name FROM sqlite_master WHERE type='table' AND name IN ('pyro_names', 'pyro_metadata')", transaction))
            using (var reader = query.ExecuteReader())
            {
                while (reader.Read()) tables.Add(reader.GetString(0));
            }
            if (!tables.Contains("pyro_names"))
            {
                CreateSchema(db, transaction);
            }
            else if (!tables.Contains("pyro_metadata"))
            {
                // A store of an old Pyro version without metadata: migrate it as Python does.
                Execute(db, transaction, "ALTER TABLE pyro_names RENAME TO pyro_names_old");
                CreateSchema(db, transaction);
                Execute(db, transaction, "INSERT INTO pyro_names(name, uri) SELECT name, uri FROM pyro_names_old");
                Execute(db, transaction, "DROP TABLE pyro_names_old");
            }
            transaction.Commit();
            // Reading the table proves the file is a usable database now rather than at the first request.
            using var count = Command(db, "SELECT COUNT(*) FROM pyro_names");
            count.ExecuteScalar();
        }
        catch (SqliteException e)
        {
            SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
            throw new NamingException($"cannot use name server storage file '{path}': {Describe(e)}", e);
        }
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>How long an operation waits for another connection's lock.</summary>
    public TimeSpan BusyTimeout { get; }

    /// <inheritdoc/>
    public string Description => "sql:" + Path;

    /// <inheritdoc/>
    public int Count => Run("len", db =>
    {
        using var command = Command(db, "SELECT COUNT(*) FROM pyro_names");
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    });

    /// <inheritdoc/>
    public bool TryGet(string name, [NotNullWhen(true)] out NameRegistration? registration)
    {
        var list = Run("getitem", db =>
        {
            using var command = Command(db, SelectJoined + " WHERE n.name = $name");
            command.Parameters.AddWithValue("$name", name);
            return ReadRegistrations(command);
        });
        registration = list.Count == 0 ? null : list[0];
        return registration is not null;
    }

    /// <inheritdoc/>
    public bool Contains(string name) => Run("contains", db =>
    {
        using var command = Command(db, "SELECT EXISTS(SELECT 1 FROM pyro_names WHERE name = $name LIMIT 1)");
        command.Parameters.AddWithValue("$name", name);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) != 0;
    });

    /// <inheritdoc/>
    public void Set(NameRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        Run("setitem", db =>
        {
            using var transaction = db.BeginTransaction();
            DeleteName(db, transaction, registration.Name);
            long id;
            using (var insert = Command(db, "INSERT INTO pyro_names(name, uri) VALUES ($name, $uri); SELECT last_insert_rowid()", transaction))
            {
                insert.Parameters.AddWithValue("$name", registration.Name);
                insert.Parameters.AddWithValue("$uri", registration.Uri);
                id = Convert.ToInt64(insert.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            }
            if (registration.Metadata.Count > 0)
            {
                using var tag = Command(db, "INSERT INTO pyro_metadata(object, metadata) VALUES ($object, $metadata)", transaction);
                tag.Parameters.AddWithValue("$object", id);
                var value = tag.Parameters.Add("$metadata", SqliteType.Text);
                tag.Prepare();
                foreach (var m in registration.Metadata)
                {
                    value.Value = m;
                    tag.ExecuteNonQuery();
                }
            }
            transaction.Commit();
            return true;
        });
    }

    /// <inheritdoc/>
    public bool Remove(string name) => Run("delitem", db =>
    {
        using var transaction = db.BeginTransaction();
        bool removed = DeleteName(db, transaction, name);
        transaction.Commit();
        return removed;
    });

    /// <inheritdoc/>
    public int RemoveAll(IReadOnlyCollection<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count == 0) return 0;
        return Run("remove_items", db =>
        {
            using var transaction = db.BeginTransaction();
            int removed = 0;
            foreach (var name in names)
            {
                if (DeleteName(db, transaction, name)) removed++;
            }
            transaction.Commit();
            return removed;
        });
    }

    /// <inheritdoc/>
    public IReadOnlyList<NameRegistration> ListAll() => Run("everything", db =>
    {
        using var command = Command(db, SelectJoined + " ORDER BY n.id");
        return ReadRegistrations(command);
    });

    /// <inheritdoc/>
    public IReadOnlyList<NameRegistration> ListPrefix(string prefix) => Run("optimized_prefix_list", db =>
    {
        using var command = Command(db, SelectJoined + " WHERE substr(n.name, 1, length($prefix)) = $prefix ORDER BY n.id");
        command.Parameters.AddWithValue("$prefix", prefix);
        return ReadRegistrations(command);
    });

    /// <inheritdoc/>
    public IReadOnlyList<NameRegistration> ListByMetadata(IReadOnlySet<string> tags, bool all)
    {
        ArgumentNullException.ThrowIfNull(tags);
        if (tags.Count > MaxSqlTags)
        {
            var everything = ListAll();
            var matches = new List<NameRegistration>();
            foreach (var r in everything)
            {
                if (NameServer.MetadataMatches(r.Metadata, tags, all)) matches.Add(r);
            }
            return matches;
        }
        return Run("optimized_metadata_search", db =>
        {
            var sql = new StringBuilder(SelectJoined).Append(" WHERE n.id IN (SELECT object FROM pyro_metadata WHERE metadata IN (");
            using var command = db.CreateCommand();
            int i = 0;
            foreach (var tag in tags)
            {
                if (i > 0) sql.Append(',');
                string parameter = "$t" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                sql.Append(parameter);
                command.Parameters.AddWithValue(parameter, tag);
                i++;
            }
            sql.Append(')');
            if (all)
            {
                sql.Append(" GROUP BY object HAVING COUNT(DISTINCT metadata) = $count");
                command.Parameters.AddWithValue("$count", (long)tags.Count);
            }
            sql.Append(") ORDER BY n.id");
            command.CommandText = sql.ToString();
            return ReadRegistrations(command);
        });
    }

    /// <summary>Releases the pooled connections (the file stays as it is).</summary>
    public void Dispose() => SqliteConnection.ClearPool(new SqliteConnection(_connectionString));

    /// <inheritdoc/>
    public override string ToString() => Description;

    private SqliteConnection Open()
    {
        var db = new SqliteConnection(_connectionString);
        try
        {
            db.Open();
            using var pragma = Command(db, "PRAGMA foreign_keys=ON");
            pragma.ExecuteNonQuery();
            return db;
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    private T Run<T>(string operation, Func<SqliteConnection, T> body)
    {
        try
        {
            using var db = Open();
            return body(db);
        }
        catch (SqliteException e)
        {
            throw new NamingException($"sqlite error in {operation}: {Describe(e)}", e);
        }
        catch (InvalidOperationException e)
        {
            throw new NamingException($"sqlite error in {operation}: {e.Message}", e);
        }
    }

    private static SqliteCommand Command(SqliteConnection db, string sql, SqliteTransaction? transaction = null)
    {
        var command = db.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private static void Execute(SqliteConnection db, SqliteTransaction transaction, string sql)
    {
        using var command = Command(db, sql, transaction);
        command.ExecuteNonQuery();
    }

    private static void CreateSchema(SqliteConnection db, SqliteTransaction transaction)
    {
        Execute(db, transaction, """
            CREATE TABLE pyro_names
            (
                id integer PRIMARY KEY,
                name nvarchar NOT NULL UNIQUE,
                uri nvarchar NOT NULL
            );
            """);
        Execute(db, transaction, """
            CREATE TABLE pyro_metadata
            (
                object integer NOT NULL,
                metadata nvarchar NOT NULL,
                FOREIGN KEY(object) REFERENCES pyro_names(id)
            );
            """);
    }

    private static bool DeleteName(SqliteConnection db, SqliteTransaction transaction, string name)
    {
        using var find = Command(db, "SELECT id FROM pyro_names WHERE name = $name", transaction);
        find.Parameters.AddWithValue("$name", name);
        if (find.ExecuteScalar() is not long id) return false;
        using var delete = Command(db, "DELETE FROM pyro_metadata WHERE object = $id; DELETE FROM pyro_names WHERE id = $id", transaction);
        delete.Parameters.AddWithValue("$id", id);
        delete.ExecuteNonQuery();
        return true;
    }

    // Rows of SelectJoined, one per (name, tag), grouped by name in first-seen order.
    private static List<NameRegistration> ReadRegistrations(SqliteCommand command)
    {
        var result = new List<NameRegistration>();
        using var reader = command.ExecuteReader();
        string? name = null, uri = null;
        List<string>? tags = null;
        while (reader.Read())
        {
            string rowName = reader.GetString(0);
            if (!string.Equals(rowName, name, StringComparison.Ordinal))
            {
                if (name is not null) result.Add(new NameRegistration(name, uri!, tags));
                name = rowName;
                uri = reader.GetString(1);
                tags = null;
            }
            if (!reader.IsDBNull(2)) (tags ??= []).Add(reader.GetValue(2) as string ?? Convert.ToString(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture)!);
        }
        if (name is not null) result.Add(new NameRegistration(name, uri!, tags));
        return result;
    }

    // "SQLite Error 5: 'database is locked'." -> "database is locked" (Python's sqlite3 message).
    private static string Describe(SqliteException e)
    {
        var message = e.Message;
        int start = message.IndexOf(": '", StringComparison.Ordinal);
        int end = message.LastIndexOf('\'');
        return message.StartsWith("SQLite Error ", StringComparison.Ordinal) && start > 0 && end > start + 3
            ? message[(start + 3)..end]
            : message;
    }
}
