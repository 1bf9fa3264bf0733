//! Bulk-synchronous rounds on one timely dataflow: every superstep of a
//! vertex program is one timestamp of an exchange channel.
//!
//! Each worker builds one dataflow, `input → exchange(by destination) →
//! collect → probe`. A round sends at most one [`Packet`] to every worker
//! (empty ones included, so that every worker can check it heard from every
//! peer), advances the input to the next timestamp and steps the worker until
//! the probe has passed it: by then every packet of the round has been
//! delivered to its destination (timely's progress tracking counts a message
//! until the receiving operator has consumed it). Packets are then ordered
//! by sender, so what a worker does with them never depends on arrival order.

use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;
use timely::container::CapacityContainerBuilder;
use timely::dataflow::channels::pact::Exchange;
use timely::dataflow::operators::generic::Operator;
use timely::dataflow::operators::{Input, Probe};
use timely::dataflow::{InputHandle, ProbeHandle};
use timely::worker::Worker;

/// What one worker sends another in one round: a few typed columns, whose
/// meaning each step of the protocol defines (ids in `u32s`, scores in
/// `f64s`, external names in `u64s` or `texts`, registers in `u8s`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Packet {
    /// 64-bit integers (numeric external ids, positions, counts).
    pub u64s: Vec<u64>,
    /// 32-bit integers (dense ids, local ids, bit patterns of `f32` weights).
    pub u32s: Vec<u32>,
    /// Floating-point values (scores, partial sums).
    pub f64s: Vec<f64>,
    /// Bytes (HyperLogLog registers, flags).
    pub u8s: Vec<u8>,
    /// Text (string external ids, error messages).
    pub texts: Vec<String>,
}

impl Packet {
    /// Payload bytes (what the columns hold; timely adds a 48-byte header per
    /// message and bincode an 8-byte length per column).
    pub fn payload_bytes(&self) -> u64 {
        (self.u64s.len() * 8
            + self.u32s.len() * 4
            + self.f64s.len() * 8
            + self.u8s.len()
            + self.texts.iter().map(|t| t.len() + 8).sum::<usize>()) as u64
    }

    /// A packet holding only `f64` values.
    pub fn of_f64s(f64s: Vec<f64>) -> Packet {
        Packet {
            f64s,
            ..Packet::default()
        }
    }

    /// A packet holding only `u32` values.
    pub fn of_u32s(u32s: Vec<u32>) -> Packet {
        Packet {
            u32s,
            ..Packet::default()
        }
    }

    /// A packet holding only `u64` values.
    pub fn of_u64s(u64s: Vec<u64>) -> Packet {
        Packet {
            u64s,
            ..Packet::default()
        }
    }
}

/// A packet with its sender and destination worker.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Envelope {
    dest: u32,
    src: u32,
    packet: Packet,
}

/// Bytes this worker sent, split by where they went.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Traffic {
    /// Payload bytes sent to workers of other processes (over TCP).
    pub remote_bytes: u64,
    /// Payload bytes sent to other workers of the same process (in memory).
    pub local_bytes: u64,
    /// Rounds run.
    pub rounds: u64,
}

/// One worker's handle on the job: its index, the layout, and the rounds.
pub struct Comm<'w> {
    worker: &'w mut Worker,
    input: InputHandle<u64, CapacityContainerBuilder<Vec<Envelope>>>,
    probe: ProbeHandle<u64>,
    /// Received packets with their round; a faster peer's packets of the
    /// next round may arrive before this round is over.
    inbox: Rc<RefCell<Vec<(u64, Envelope)>>>,
    round: u64,
    index: usize,
    peers: usize,
    workers_per_process: usize,
    traffic: Traffic,
}

impl<'w> Comm<'w> {
    /// Builds the exchange dataflow on `worker`. `workers_per_process`
    /// tells which peers share this process (timely numbers the workers of
    /// process `p` from `p · workers_per_process`).
    pub fn new(worker: &'w mut Worker, workers_per_process: usize) -> Comm<'w> {
        let index = worker.index();
        let peers = worker.peers();
        let mut input = InputHandle::new();
        let probe = ProbeHandle::new();
        let inbox: Rc<RefCell<Vec<(u64, Envelope)>>> = Rc::new(RefCell::new(Vec::new()));
        let sink = Rc::clone(&inbox);
        worker.dataflow::<u64, _, _>(|scope| {
            scope
                .input_from(&mut input)
                .unary::<CapacityContainerBuilder<Vec<Envelope>>, _, _, _>(
                    Exchange::new(|e: &Envelope| u64::from(e.dest)),
                    "portevoix-round",
                    move |_capability, _info| {
                        move |input, _output| {
                            input.for_each(|time, data| {
                                let t = time.least().copied().unwrap_or(0);
                                sink.borrow_mut().extend(data.drain(..).map(|e| (t, e)));
                            });
                        }
                    },
                )
                .probe_with(&probe);
        });
        Comm {
            worker,
            input,
            probe,
            inbox,
            round: 0,
            index,
            peers,
            workers_per_process: workers_per_process.max(1),
            traffic: Traffic::default(),
        }
    }

    /// This worker's index, `0..peers()`.
    pub fn index(&self) -> usize {
        self.index
    }

    /// Number of workers in the job (processes × workers per process).
    pub fn peers(&self) -> usize {
        self.peers
    }

    /// The process this worker runs in.
    pub fn process(&self) -> usize {
        self.index / self.workers_per_process
    }

    /// The process of worker `w`.
    pub fn process_of(&self, w: usize) -> usize {
        w / self.workers_per_process
    }

    /// Bytes sent so far by this worker.
    pub fn traffic(&self) -> Traffic {
        self.traffic
    }

    /// One round: `outgoing[w]` goes to worker `w` (`outgoing.len()` must be
    /// [`Comm::peers`]); returns the packets received, indexed by sender.
    pub fn exchange(&mut self, outgoing: Vec<Packet>) -> Vec<Packet> {
        assert_eq!(outgoing.len(), self.peers, "one packet per worker");
        let me = self.index as u32;
        for (dest, packet) in outgoing.into_iter().enumerate() {
            if dest != self.index {
                let bytes = packet.payload_bytes();
                if self.process_of(dest) == self.process() {
                    self.traffic.local_bytes += bytes;
                } else {
                    self.traffic.remote_bytes += bytes;
                }
            }
            self.input.send(Envelope {
                dest: dest as u32,
                src: me,
                packet,
            });
        }
        self.round += 1;
        self.traffic.rounds += 1;
        self.input.advance_to(self.round);
        while self.probe.less_than(&self.round) {
            self.worker.step_or_park(Some(Duration::from_millis(5)));
        }
        let sent_at = self.round - 1;
        let mut got: Vec<Envelope> = Vec::with_capacity(self.peers);
        self.inbox.borrow_mut().retain_mut(|(t, e)| {
            if *t == sent_at {
                got.push(std::mem::take(e));
                false
            } else {
                true
            }
        });
        assert_eq!(
            got.len(),
            self.peers,
            "a round delivers one packet from every worker"
        );
        got.sort_by_key(|e| e.src);
        got.into_iter().map(|e| e.packet).collect()
    }

    /// Sends the same packet to every worker and returns every worker's
    /// packet, indexed by sender.
    pub fn all_gather(&mut self, packet: Packet) -> Vec<Packet> {
        let out = vec![packet; self.peers];
        self.exchange(out)
    }

    /// The sum of a `u64` over all workers.
    pub fn sum_u64(&mut self, value: u64) -> u64 {
        self.all_gather(Packet::of_u64s(vec![value]))
            .iter()
            .map(|p| p.u64s[0])
            .sum()
    }

    /// The maximum of a `u64` over all workers.
    pub fn max_u64(&mut self, value: u64) -> u64 {
        self.all_gather(Packet::of_u64s(vec![value]))
            .iter()
            .map(|p| p.u64s[0])
            .max()
            .unwrap_or(0)
    }

    /// Whether `flag` holds on any worker.
    pub fn any(&mut self, flag: bool) -> bool {
        self.max_u64(u64::from(flag)) > 0
    }

    /// Collective error check: every worker calls it with its own outcome;
    /// if any worker failed, all of them return the error with the smallest
    /// key (ties: the lowest worker index), so that the whole job stops
    /// together with the same message. Keys order errors the way the local
    /// engine would meet them (for input errors, the position in the input).
    pub fn agree<T>(&mut self, outcome: Result<T, (u64, String)>) -> Result<T, String> {
        let mine = match &outcome {
            Ok(_) => Packet::default(),
            Err((key, e)) => Packet {
                u64s: vec![*key],
                texts: vec![e.clone()],
                ..Packet::default()
            },
        };
        let all = self.all_gather(mine);
        let first = all
            .into_iter()
            .filter(|p| !p.texts.is_empty())
            .min_by_key(|p| p.u64s[0]);
        match (outcome, first) {
            (Ok(v), None) => Ok(v),
            (_, Some(p)) => Err(p.texts.into_iter().next().unwrap_or_default()),
            (Err((_, e)), None) => Err(e),
        }
    }
}
