// The notes store's suite. Each test works in a fresh temporary directory
// (removed afterwards) holding the database file, its WAL and any backup;
// a second connection, opened with the plain sqlite3 API, plays another
// process sharing the file.
#include "notes/store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

class NotesTest : public ::testing::Test {
protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "notes-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir = pattern;
    path = (dir / "notes.db").string();
    store = std::make_unique<notes::Store>(path);
  }

  void TearDown() override {
    store.reset();
    fs::remove_all(dir);
  }

  // A connection of its own on the same file, as another process would
  // have.
  sqlite3 *other_connection() {
    sqlite3 *db = nullptr;
    EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    return db;
  }

  static int run(sqlite3 *db, const char *sql) {
    return sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  }

  fs::path dir;
  std::string path;
  std::unique_ptr<notes::Store> store;
};

std::vector<std::string> titles(const std::vector<notes::Note> &found) {
  std::vector<std::string> names;
  for (const notes::Note &note : found)
    names.push_back(note.title);
  return names;
}

TEST_F(NotesTest, AnAddedNoteComesBackWithItsTags) {
  const long id = store->add({0, "groceries", "eggs, milk", {"home", "errands"}});
  const auto note = store->find(id);
  ASSERT_TRUE(note);
  EXPECT_EQ(note->id, id);
  EXPECT_EQ(note->title, "groceries");
  EXPECT_EQ(note->body, "eggs, milk");
  EXPECT_EQ(note->tags, (std::vector<std::string>{"errands", "home"}));
  EXPECT_EQ(store->count(), 1);
  EXPECT_FALSE(store->find(id + 1));
}

TEST_F(NotesTest, NotesWithATagComeInOrder) {
  const long a = store->add({0, "a", "", {"work"}});
  store->add({0, "b", "", {"home"}});
  const long c = store->add({0, "c", "", {"home", "work"}});
  const auto found = store->tagged("work");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].id, a);
  EXPECT_EQ(found[1].id, c);
  EXPECT_EQ(found[1].tags, (std::vector<std::string>{"home", "work"}));
  EXPECT_TRUE(store->tagged("nowhere").empty());
}

TEST_F(NotesTest, SearchLooksInTitlesAndBodies) {
  store->add({0, "Meeting notes", "budget for Q3", {}});
  store->add({0, "recipe", "a pinch of salt, no BUDGET", {}});
  store->add({0, "poem", "roses are red", {}});
  EXPECT_EQ(titles(store->search("budget")),
            (std::vector<std::string>{"Meeting notes", "recipe"}));
  EXPECT_EQ(titles(store->search("MEETING")),
            (std::vector<std::string>{"Meeting notes"}));
  EXPECT_TRUE(store->search("tulips").empty());
}

TEST_F(NotesTest, ATakenTitleIsAConstraintErrorAndChangesNothing) {
  store->add({0, "plans", "first", {"a"}});
  try {
    store->add({0, "plans", "second", {"b"}});
    FAIL() << "duplicate title accepted";
  } catch (const notes::StoreError &e) {
    EXPECT_EQ(e.code(), SQLITE_CONSTRAINT);
    EXPECT_EQ(e.extended_code(), SQLITE_CONSTRAINT_UNIQUE);
    EXPECT_STREQ(e.what(), "UNIQUE constraint failed: notes.title");
  }
  EXPECT_EQ(store->count(), 1);
  EXPECT_TRUE(store->tagged("b").empty());
  // The transaction was rolled back: the store takes the next one.
  EXPECT_GT(store->add({0, "plans 2", "second", {"b"}}), 0);
}

TEST_F(NotesTest, ImportAddsManyNotesInOneTransaction) {
  std::vector<notes::Note> batch;
  for (int i = 0; i != 1000; ++i)
    batch.push_back({0, "note " + std::to_string(i), std::string(i % 50, 'x'),
                     {i % 2 ? "odd" : "even", "imported"}});
  EXPECT_EQ(store->import(batch), 1000);
  EXPECT_EQ(store->count(), 1000);
  EXPECT_EQ(store->tagged("odd").size(), 500u);
  EXPECT_EQ(store->search("note 999").size(), 1u);
}

TEST_F(NotesTest, AFailedImportImportsNothing) {
  store->add({0, "taken", "", {}});
  std::vector<notes::Note> batch;
  for (int i = 0; i != 10; ++i)
    batch.push_back({0, "new " + std::to_string(i), "", {"batch"}});
  batch.push_back({0, "taken", "", {"batch"}});
  EXPECT_THROW(store->import(batch), notes::StoreError);
  EXPECT_EQ(store->count(), 1);
  EXPECT_TRUE(store->tagged("batch").empty());
}

TEST_F(NotesTest, RetagReplacesTheTags) {
  const long id = store->add({0, "trip", "", {"later", "travel"}});
  EXPECT_TRUE(store->retag(id, {"now", "travel", "now"}));
  EXPECT_EQ(store->find(id)->tags, (std::vector<std::string>{"now", "travel"}));
  EXPECT_TRUE(store->tagged("later").empty());
  EXPECT_FALSE(store->retag(id + 1, {"x"}));
  EXPECT_TRUE(store->tagged("x").empty());
}

TEST_F(NotesTest, RemovingANoteRemovesItsTagsAndAttachment) {
  const long id = store->add({0, "old", "", {"stale"}});
  store->attach(id, "bytes");
  EXPECT_TRUE(store->remove(id));
  EXPECT_FALSE(store->find(id));
  EXPECT_TRUE(store->tagged("stale").empty());
  EXPECT_FALSE(store->attachment(id));
  EXPECT_FALSE(store->remove(id));
}

TEST_F(NotesTest, AttachmentsRoundTripAsBlobs) {
  const long id = store->add({0, "scan", "", {}});
  EXPECT_FALSE(store->attachment(id));
  // 100 KB of every byte value, NULs included, across several chunks.
  std::string data(100 * 1024 + 7, '\0');
  for (std::size_t i = 0; i != data.size(); ++i)
    data[i] = static_cast<char>(i * 31 % 256);
  store->attach(id, data);
  EXPECT_EQ(store->attachment(id), data);
  store->attach(id, "smaller");
  EXPECT_EQ(store->attachment(id), "smaller");
  store->attach(id, "");
  EXPECT_EQ(store->attachment(id), "");
}

TEST_F(NotesTest, AttachingToAMissingNoteIsAForeignKeyError) {
  try {
    store->attach(42, "orphan");
    FAIL() << "attached to nothing";
  } catch (const notes::StoreError &e) {
    EXPECT_EQ(e.code(), SQLITE_CONSTRAINT);
    EXPECT_EQ(e.extended_code(), SQLITE_CONSTRAINT_FOREIGNKEY);
    EXPECT_STREQ(e.what(), "FOREIGN KEY constraint failed");
  }
  EXPECT_FALSE(store->attachment(42));
}

TEST_F(NotesTest, BackupCopiesTheWholeStore) {
  std::vector<notes::Note> batch;
  for (int i = 0; i != 300; ++i) // more pages than one backup step
    batch.push_back({0, "n" + std::to_string(i), std::string(500, 'b'), {"t"}});
  store->import(batch);
  const long id = store->add({0, "with file", "", {}});
  store->attach(id, std::string(50000, 'z'));
  const std::string copy_path = (dir / "copy.db").string();
  store->backup_to(copy_path);
  store->add({0, "after the backup", "", {}});

  notes::Store copy(copy_path, {.busy_timeout_ms = 1000, .create = false});
  EXPECT_EQ(copy.count(), 301);
  EXPECT_EQ(copy.tagged("t").size(), 300u);
  EXPECT_EQ(copy.attachment(id), std::string(50000, 'z'));
}

TEST_F(NotesTest, CheckpointMovesTheLogIntoTheDatabase) {
  store->add({0, "logged", "", {}});
  const fs::path wal = path + "-wal";
  ASSERT_TRUE(fs::exists(wal));
  EXPECT_GT(fs::file_size(wal), 0u);
  store->checkpoint();
  EXPECT_EQ(fs::file_size(wal), 0u);
  EXPECT_EQ(store->find(1)->title, "logged");
}

TEST_F(NotesTest, TwoStoresOnOneFileSeeEachOthersCommits) {
  notes::Store second(path);
  const long id = store->add({0, "shared", "", {"x"}});
  EXPECT_EQ(second.find(id)->title, "shared");
  EXPECT_THROW(second.add({0, "shared", "", {}}), notes::StoreError);
  EXPECT_TRUE(second.retag(id, {"y"}));
  EXPECT_EQ(store->find(id)->tags, (std::vector<std::string>{"y"}));
}

// ---------------------------------------------------------------- faults

TEST_F(NotesTest, OpeningInAMissingDirectoryIsSqlitesError) {
  const std::string missing = (dir / "no-such-dir" / "notes.db").string();
  try {
    notes::Store nowhere(missing);
    FAIL() << "opened " << missing;
  } catch (const notes::StoreError &e) {
    EXPECT_EQ(e.code(), SQLITE_CANTOPEN);
    EXPECT_STREQ(e.what(), "unable to open database file");
  }
  EXPECT_FALSE(fs::exists(dir / "no-such-dir"));
}

TEST_F(NotesTest, ABusyWriterGivesUpAfterTheTimeoutThenGetsIn) {
  notes::Store impatient(path, {.busy_timeout_ms = 200});
  sqlite3 *other = other_connection();
  ASSERT_EQ(run(other, "BEGIN IMMEDIATE"), SQLITE_OK); // holds the write lock
  const auto start = std::chrono::steady_clock::now();
  try {
    impatient.add({0, "blocked", "", {}});
    FAIL() << "wrote past another writer";
  } catch (const notes::StoreError &e) {
    EXPECT_EQ(e.code(), SQLITE_BUSY);
    EXPECT_STREQ(e.what(), "database is locked");
  }
  EXPECT_GE(std::chrono::steady_clock::now() - start, 150ms);
  // WAL: readers go on while another connection writes.
  EXPECT_EQ(impatient.count(), 0);
  // A patient writer waits for the other to commit.
  std::thread committer([&] {
    std::this_thread::sleep_for(100ms);
    run(other, "COMMIT");
  });
  const long id = store->add({0, "waited", "", {}});
  committer.join();
  EXPECT_EQ(impatient.find(id)->title, "waited");
  sqlite3_close(other);
}

} // namespace
