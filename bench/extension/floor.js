// The cold popup's floor: a page of the extension's origin that reads the popup's first 20 rows
// (newest shares first) straight from IndexedDB and shows them, with no framework and no background.
const opening = indexedDB.open("alsoshare");
opening.onsuccess = () => {
  const db = opening.result;
  const rows = [];
  const reading = db.transaction("jobs").objectStore("jobs").index("by-created").openCursor(null, "prev");
  reading.onsuccess = () => {
    const cursor = reading.result;
    if (cursor && rows.length < 20) {
      rows.push(cursor.value);
      cursor.continue();
      return;
    }
    db.close();
    const list = document.getElementById("rows");
    for (const job of rows) {
      const row = document.createElement("li");
      row.className = "job";
      row.textContent = `${job.targetName}: ${job.message} (${job.state})`;
      list.append(row);
    }
  };
};
