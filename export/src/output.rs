//! The output folder: made ready (created, or emptied with `--force`), written to from any
//! thread, with a count of what was written.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use crate::ExportError;

/// The folder an export writes into.
#[derive(Debug)]
pub struct Out {
    root: PathBuf,
    files: AtomicUsize,
    bytes: AtomicU64,
}

impl Out {
    /// Creates `root` if need be. A non-empty folder is refused unless `force`, which empties
    /// it. Refused in any case when it is, holds or lies inside one of `inputs`.
    pub fn prepare(root: &Path, force: bool, inputs: &[PathBuf]) -> Result<Self, ExportError> {
        let resolved = resolve(root);
        for input in inputs {
            let Ok(input_resolved) = std::fs::canonicalize(input) else {
                continue;
            };
            if resolved.starts_with(&input_resolved) || input_resolved.starts_with(&resolved) {
                return Err(ExportError::Overlaps {
                    out: root.to_owned(),
                    input: input.clone(),
                });
            }
        }
        std::fs::create_dir_all(root).map_err(|source| ExportError::Write {
            path: root.to_owned(),
            source,
        })?;
        let entries = read_dir(root)?;
        if !entries.is_empty() {
            if !force {
                return Err(ExportError::NotEmpty(root.to_owned()));
            }
            for entry in entries {
                let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
                let path = entry.path();
                let removed = if is_dir {
                    std::fs::remove_dir_all(&path)
                } else {
                    std::fs::remove_file(&path)
                };
                removed.map_err(|source| ExportError::Write { path, source })?;
            }
        }
        Ok(Self {
            root: root.to_owned(),
            files: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
        })
    }

    /// The file at the site path `path` (`/api/v1/site.json`, leading slash optional).
    pub fn path(&self, path: &str) -> PathBuf {
        self.root.join(path.trim_start_matches('/'))
    }

    /// Writes `contents` at the site path `path`, making its folders.
    pub fn write(&self, path: &str, contents: &[u8]) -> Result<(), ExportError> {
        let file = self.path(path);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent).map_err(|source| ExportError::Write {
                path: parent.to_owned(),
                source,
            })?;
        }
        std::fs::write(&file, contents)
            .map_err(|source| ExportError::Write { path: file, source })?;
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes
            .fetch_add(contents.len() as u64, Ordering::Relaxed);
        Ok(())
    }

    /// Copies the file `from` to the site path `path`.
    pub fn copy(&self, from: &Path, path: &str) -> Result<(), ExportError> {
        let contents = std::fs::read(from).map_err(|source| ExportError::Read {
            path: from.to_owned(),
            source,
        })?;
        self.write(path, &contents)
    }

    /// Files written so far.
    pub fn files(&self) -> usize {
        self.files.load(Ordering::Relaxed)
    }

    /// Bytes written so far.
    pub fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }
}

/// `path` made absolute with links resolved, as far as it exists.
fn resolve(path: &Path) -> PathBuf {
    if let Ok(resolved) = std::fs::canonicalize(path) {
        return resolved;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => resolve(parent).join(name),
        _ => std::path::absolute(path).unwrap_or_else(|_| path.to_owned()),
    }
}

fn read_dir(dir: &Path) -> Result<Vec<std::fs::DirEntry>, ExportError> {
    let read_error = |source| ExportError::Read {
        path: dir.to_owned(),
        source,
    };
    std::fs::read_dir(dir)
        .map_err(read_error)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(read_error)
}

/// Every file of the app bundle `dist` but `index.html` and hidden ones, as `/`-separated paths relative to
/// it, sorted. Fails when `dist` has no `index.html`.
pub fn dist_files(dist: &Path) -> Result<Vec<String>, ExportError> {
    let index = dist.join("index.html");
    if !index.is_file() {
        return Err(ExportError::Read {
            path: index,
            source: std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "no such file (build the app first: cargo xtask build)",
            ),
        });
    }
    let mut files = Vec::new();
    let mut folders = vec![(dist.to_owned(), String::new())];
    while let Some((folder, prefix)) = folders.pop() {
        for entry in read_dir(&folder)? {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                // Trunk's `.stage` while it builds, editors' and systems' hidden files.
                continue;
            }
            let relative = format!("{prefix}{name}");
            let is_dir = std::fs::metadata(entry.path()).is_ok_and(|m| m.is_dir());
            if is_dir {
                folders.push((entry.path(), format!("{relative}/")));
            } else if relative != "index.html" {
                files.push(relative);
            }
        }
    }
    files.sort();
    Ok(files)
}
